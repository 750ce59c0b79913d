/// `batch/v1 SuccessPolicy` (stable since 1.33, Indexed Jobs only): rules under which the Job
/// succeeds before every index has.
public struct SuccessPolicy: Hashable, Sendable, Decodable, StrictFields {
    public struct Rule: Hashable, Sendable, Decodable, StrictFields {
        public static let typeName = "SuccessPolicyRule"
        public static let usedFields = ["succeededIndexes", "succeededCount"]
        /// Indexes as `1,3-5`.
        public var succeededIndexes: String?
        public var succeededCount: Int?
        public init(succeededIndexes: String? = nil, succeededCount: Int? = nil) {
            self.succeededIndexes = succeededIndexes; self.succeededCount = succeededCount
        }
        enum CodingKeys: String, CodingKey { case succeededIndexes, succeededCount }
        public init(from decoder: Decoder) throws {
            try Self.checkFields(decoder)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            succeededIndexes = try c.decodeIfPresent(String.self, forKey: .succeededIndexes)
            succeededCount = try c.decodeIfPresent(Int.self, forKey: .succeededCount)
        }
    }

    public static let usedFields = ["rules"]
    public var rules: [Rule]
    public init(rules: [Rule]) { self.rules = rules }
    enum CodingKeys: String, CodingKey { case rules }
    public init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        rules = try c.decodeIfPresent([Rule].self, forKey: .rules) ?? []
    }

    /// The indexes `1,3-5` names below `completions` (kubernetes pkg/controller/job
    /// indexed_job_utils.go `parseIndexesFromString`: intervals past completions are cut);
    /// nil when it does not parse.
    public static func indexes(_ text: String, completions: Int) -> Set<Int>? {
        guard !text.isEmpty else { return [] }
        var out = Set<Int>()
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
            guard (1...2).contains(bounds.count), let first = Int(bounds[0]), first >= 0 else { return nil }
            let last = bounds.count == 2 ? Int(bounds[1]) : first
            guard let last, last >= first else { return nil }
            guard first < completions else { continue }
            out.formUnion(first...min(last, completions - 1))
        }
        return out
    }

    /// "Matched rules at index N" for the first rule the succeeded indexes meet, else nil.
    ///
    /// As success_policy.go `matchSuccessPolicy` and `matchSucceededIndexesRule` decide it: a rule
    /// with succeededIndexes needs all of them, or — with succeededCount — that many of them; a
    /// rule with succeededCount alone that many indexes of any. A rule whose indexes do not parse
    /// or name none below completions is skipped.
    public static func match(_ policy: SuccessPolicy?, completions: Int, succeeded: Set<Int>) -> String? {
        guard let policy, !succeeded.isEmpty else { return nil }
        for (index, rule) in policy.rules.enumerated() {
            if let text = rule.succeededIndexes {
                guard let required = indexes(text, completions: completions), !required.isEmpty else { continue }
                let contains = required.intersection(succeeded).count
                if contains == required.count || rule.succeededCount.map({ contains >= $0 }) == true {
                    return "Matched rules at index \(index)"
                }
            } else if let count = rule.succeededCount, succeeded.count >= count {
                return "Matched rules at index \(index)"
            }
        }
        return nil
    }
}
