/// DNS-1123 names, as k8s.io/apimachinery pkg/util/validation IsDNS1123Label and
/// IsDNS1123Subdomain check them, with their messages. Nil when the name is valid.
extension CoreValidation {
    static func dns1123Label(_ s: String) -> String? {
        if s.count > 63 { return "must be no more than 63 characters" }
        guard isLabel(Substring(s)) else {
            return
                "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
        }
        return nil
    }

    /// A subdomain; a trailing "-" is allowed, as for a generateName prefix (upstream's
    /// ValidateObjectMeta masks it before checking).
    static func dns1123Subdomain(_ s: String) -> String? {
        if s.count > 253 { return "must be no more than 253 characters" }
        let name = s.hasSuffix("-") ? String(s.dropLast()) + "a" : s
        guard name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy(isLabel) else {
            return
                "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
        }
        return nil
    }

    private static func isLabel(_ s: Substring) -> Bool {
        func alnum(_ c: Character) -> Bool { c.isASCII && (c.isLowercase || c.isNumber) }
        guard let first = s.first, let last = s.last, alnum(first), alnum(last) else { return false }
        return s.allSatisfy { alnum($0) || $0 == "-" }
    }
}
