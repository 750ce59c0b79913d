import KubeModel

/// core/v1 validation for the fields k3sim models.
///
/// It follows upstream kubernetes pkg/apis/core/validation/validation.go (the function named on
/// each rule). Runs after the API server's defaults are applied, as upstream validates defaulted
/// objects. Paths are relative to the object validated.
enum CoreValidation {
    typealias Path = [PathKey]

    /// ValidateObjectMeta: "name or generateName is required"; names and namespaces are
    /// DNS-1123 names (ValidateNameFunc = NameIsDNSSubdomain for most kinds, ValidateNamespaceName).
    static func objectMeta(_ m: ObjectMeta, _ path: Path) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        if m.name.isEmpty {
            issues.append(.required(path + [.key("name")], "name or generateName is required"))
        } else if let problem = dns1123Subdomain(m.name) {
            issues.append(.invalid(path + [.key("name")], FieldIssue.quote(m.name), problem))
        }
        if let problem = dns1123Label(m.namespace) {
            issues.append(.invalid(path + [.key("namespace")], FieldIssue.quote(m.namespace), problem))
        }
        issues += labels(m.labels, path + [.key("labels")])
        return issues
    }

    /// ValidatePodSpec (the parts modelled).
    static func podSpec(_ s: PodSpec, _ path: Path) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        // validateContainers: "Required value" when the list is empty.
        if s.containers.isEmpty { issues.append(.required(path + [.key("containers")])) }
        var names = Set<String>()
        for (key, list) in [("initContainers", s.initContainers), ("containers", s.containers)] {
            for (i, c) in list.enumerated() {
                let cp = path + [.key(key), .index(i)]
                if !names.insert(c.name).inserted, !c.name.isEmpty { issues.append(.duplicate(cp + [.key("name")], c.name)) }
                issues += container(c, cp)
            }
        }
        // ValidatePodSpec: terminationGracePeriodSeconds via ValidateNonnegativeField.
        if let i = Upstream.nonNegative(
            s.terminationGracePeriodSeconds, path + [.key("terminationGracePeriodSeconds")], max: Limits.maxSeconds)
        {
            issues.append(i)
        }
        issues += labels(s.nodeSelector, path + [.key("nodeSelector")])
        for (i, t) in s.tolerations.enumerated() { issues += toleration(t, path + [.key("tolerations"), .index(i)]) }
        if let a = s.affinity { issues += affinity(a, path + [.key("affinity")]) }
        issues += topologySpread(s.topologySpreadConstraints, path + [.key("topologySpreadConstraints")])
        for (k, q) in s.overhead.sorted(by: { $0.key < $1.key }) {
            issues += quantity(q, name: k, path + [.key("overhead"), .key(k)])
        }
        if let p = s.preemptionPolicy { issues += preemptionPolicy(p, path + [.key("preemptionPolicy")]) }
        return issues
    }

    /// validateContainerCommon: name (DNS label), image required (validateContainers:
    /// "Required value" for an empty image), resources, probes.
    static func container(_ c: Container, _ path: Path) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        if c.name.isEmpty {
            issues.append(.required(path + [.key("name")]))
        } else if let problem = dns1123Label(c.name) {
            issues.append(.invalid(path + [.key("name")], FieldIssue.quote(c.name), problem))
        }
        if c.image.trimmingCharacters(in: .whitespaces).isEmpty { issues.append(.required(path + [.key("image")])) }
        issues += resources(c.resources, path + [.key("resources")])
        issues += ports(c.ports, path + [.key("ports")])
        for (key, p) in [
            ("readinessProbe", c.readinessProbe), ("livenessProbe", c.livenessProbe), ("startupProbe", c.startupProbe),
        ] {
            guard let p else { continue }
            issues += probe(p, path + [.key(key)])
            // validateLivenessProbe / validateStartupProbe: "must be 1".
            if key != "readinessProbe", p.successThreshold != 1 {
                issues.append(.invalid(path + [.key(key), .key("successThreshold")], String(p.successThreshold), "must be 1"))
            }
        }
        return issues
    }

    /// ValidateResourceRequirements: every quantity non-negative (ValidateNonnegativeQuantity,
    /// through validateContainerResourceName/ValidateResourceQuantityValue) and a request not
    /// above its limit ("must be less than or equal to %s limit of %s").
    static func resources(_ r: ResourceRequirements, _ path: Path) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        for (k, q) in r.limits.sorted(by: { $0.key < $1.key }) {
            issues += quantity(q, name: k, path + [.key("limits"), .key(k)])
        }
        for (k, q) in r.requests.sorted(by: { $0.key < $1.key }) {
            issues += quantity(q, name: k, path + [.key("requests"), .key(k)])
            if let limit = r.limits[k], q.milliValue > limit.milliValue {
                issues.append(
                    .invalid(
                        path + [.key("requests"), .key(k)], FieldIssue.quote(q.text),
                        "must be less than or equal to \(k) limit of \(limit.text)"))
            }
        }
        return issues
    }

    /// ValidatePreemptionPolicy.
    static func preemptionPolicy(_ p: String, _ path: Path) -> [FieldIssue] {
        let policies = ["Never", "PreemptLowerPriority"]
        return policies.contains(p) ? [] : [.unsupported(path, p, policies)]
    }

    /// validateContainerPorts: containerPort 1-65535, hostPort 0 or 1-65535, protocol one of
    /// TCP, UDP, SCTP.
    static func ports(_ list: [ContainerPort], _ path: Path) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        let range = "must be between 1 and 65535, inclusive"
        for (i, p) in list.enumerated() {
            if !(1...65535).contains(p.containerPort) {
                issues.append(.invalid(path + [.index(i), .key("containerPort")], String(p.containerPort), range))
            }
            if let h = p.hostPort, h != 0, !(1...65535).contains(h) {
                issues.append(.invalid(path + [.index(i), .key("hostPort")], String(h), range))
            }
            if !["TCP", "UDP", "SCTP"].contains(p.protocol) {
                issues.append(.unsupported(path + [.index(i), .key("protocol")], p.protocol, ["SCTP", "TCP", "UDP"]))
            }
        }
        return issues
    }

    /// A byte count decoded from a quantity, as a quantity again for messages (`-20Gi`, not
    /// `-21474836480`).
    static func bytes(_ b: Int64) -> Quantity {
        for (suffix, unit) in [("Ti", Int64(1) << 40), ("Gi", Int64(1) << 30), ("Mi", Int64(1) << 20), ("Ki", Int64(1) << 10)]
        where b != 0 && b % unit == 0 {
            if let q = try? Quantity(parsing: "\(b / unit)\(suffix)") { return q }
        }
        return Quantity(b)
    }

    /// ValidateNonnegativeQuantity, with k3sim's upper bounds (`Limits`).
    static func quantity(_ q: Quantity, name: String, _ path: Path) -> [FieldIssue] {
        if q.milliValue < 0 { return [.invalid(path, FieldIssue.quote(q.text), Upstream.negative)] }
        let (value, max, shown): (Int64, Int64, String) =
            switch name {
            case "cpu": (q.milliValue, Limits.maxMilliCPU, "1048576 cores")
            case "memory", "ephemeral-storage", "storage": (q.value, Limits.maxBytes, "1Pi")
            default: (q.value, Limits.maxScalar, "2^40")
            }
        return value > max ? [.invalid(path, FieldIssue.quote(q.text), "must be at most \(shown) (a limit of k3sim)")] : []
    }

    /// validateProbe: every field through ValidateNonnegativeField; the probe-level
    /// terminationGracePeriodSeconds must be positive (validateProbe, "must be greater than 0").
    static func probe(_ p: Probe, _ path: Path) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        let fields: [(String, Int)] = [
            ("initialDelaySeconds", p.initialDelaySeconds), ("timeoutSeconds", p.timeoutSeconds),
            ("periodSeconds", p.periodSeconds), ("successThreshold", p.successThreshold),
            ("failureThreshold", p.failureThreshold),
        ]
        for (key, v) in fields {
            // k3sim waits periodSeconds × successThreshold: thresholds stay small enough for that.
            let max = key.hasSuffix("Threshold") ? Limits.maxProbeThreshold : Limits.maxSeconds
            if let i = Upstream.nonNegative(Int64(v), path + [.key(key)], max: max) { issues.append(i) }
        }
        if let g = p.terminationGracePeriodSeconds {
            if g <= 0 {
                issues.append(.invalid(path + [.key("terminationGracePeriodSeconds")], String(g), "must be greater than 0"))
            } else if g > Limits.maxSeconds {
                issues.append(
                    .invalid(
                        path + [.key("terminationGracePeriodSeconds")], String(g),
                        "must be at most \(Limits.maxSeconds) (a limit of k3sim)"))
            }
        }
        return issues
    }

    /// ValidateTolerations: tolerationSeconds only with NoExecute ("effect must be 'NoExecute'
    /// when `tolerationSeconds` is set"); Exists takes no value.
    static func toleration(_ t: Toleration, _ path: Path) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        if t.operator == .Exists, !t.value.isEmpty {
            issues.append(
                .invalid(path + [.key("operator")], FieldIssue.quote(t.value), "value must be empty when `operator` is 'Exists'"))
        }
        if let s = t.tolerationSeconds {
            if t.effect != .NoExecute {
                issues.append(
                    .invalid(
                        path + [.key("effect")], FieldIssue.quote(t.effect?.rawValue ?? ""),
                        "effect must be 'NoExecute' when `tolerationSeconds` is set"))
            }
            // Upstream takes any int64 (negative means evict at once); k3sim bounds it.
            if s > Limits.maxSeconds || s < -Limits.maxSeconds {
                issues.append(
                    .invalid(
                        path + [.key("tolerationSeconds")], String(s), "must be within ±\(Limits.maxSeconds) (a limit of k3sim)"))
            }
        }
        return issues
    }

    /// ValidatePreferredSchedulingTerms and validateWeightedPodAffinityTerms: "must be in the
    /// range 1-100".
    static func affinity(_ a: Affinity, _ path: Path) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        func weight(_ w: Int, _ p: Path) {
            if w <= 0 || w > 100 { issues.append(.invalid(p, String(w), "must be in the range 1-100")) }
        }
        if let n = a.nodeAffinity {
            let np = path + [.key("nodeAffinity")]
            for (i, t) in (n.required?.nodeSelectorTerms ?? []).enumerated() {
                issues += nodeSelectorTerm(
                    t, np + [.key("requiredDuringSchedulingIgnoredDuringExecution"), .key("nodeSelectorTerms"), .index(i)])
            }
            for (i, t) in n.preferred.enumerated() {
                let tp = np + [.key("preferredDuringSchedulingIgnoredDuringExecution"), .index(i)]
                weight(t.weight, tp + [.key("weight")])
                issues += nodeSelectorTerm(t.preference, tp + [.key("preference")])
            }
        }
        for (key, pa) in [("podAffinity", a.podAffinity), ("podAntiAffinity", a.podAntiAffinity)] {
            guard let pa else { continue }
            for (i, t) in pa.preferred.enumerated() {
                weight(
                    t.weight,
                    path + [.key(key), .key("preferredDuringSchedulingIgnoredDuringExecution"), .index(i), .key("weight")])
            }
            for (i, t) in pa.required.enumerated() {
                let tp = path + [.key(key), .key("requiredDuringSchedulingIgnoredDuringExecution"), .index(i)]
                if t.topologyKey.isEmpty { issues.append(.required(tp + [.key("topologyKey")], "can not be empty")) }
                if let s = t.labelSelector { issues += selector(s, tp + [.key("labelSelector")]) }
            }
            for (i, t) in pa.preferred.enumerated() {
                let tp =
                    path + [
                        .key(key), .key("preferredDuringSchedulingIgnoredDuringExecution"), .index(i), .key("podAffinityTerm"),
                    ]
                if t.podAffinityTerm.topologyKey.isEmpty {
                    issues.append(.required(tp + [.key("topologyKey")], "can not be empty"))
                }
                if let s = t.podAffinityTerm.labelSelector { issues += selector(s, tp + [.key("labelSelector")]) }
            }
        }
        return issues
    }

    /// validateTopologySpreadConstraints.
    static func topologySpread(_ list: [TopologySpreadConstraint], _ path: Path) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        var seen = Set<String>()
        for (i, c) in list.enumerated() {
            let p = path + [.index(i)]
            if c.maxSkew <= 0 { issues.append(.invalid(p + [.key("maxSkew")], String(c.maxSkew), Upstream.notPositive)) }
            // maxSkew and minDomains are int32 upstream.
            for (key, v) in [("maxSkew", c.maxSkew), ("minDomains", c.minDomains ?? 1)] where v > Int(Int32.max) {
                issues.append(.invalid(p + [.key(key)], String(v), "must be at most 2147483647 (an int32)"))
            }
            if c.topologyKey.isEmpty { issues.append(.required(p + [.key("topologyKey")], "can not be empty")) }
            if let s = c.labelSelector { issues += selector(s, p + [.key("labelSelector")]) }
            let actions = ["DoNotSchedule", "ScheduleAnyway"]
            if !actions.contains(c.whenUnsatisfiable) {
                issues.append(.unsupported(p + [.key("whenUnsatisfiable")], c.whenUnsatisfiable, actions))
            }
            if let m = c.minDomains {
                if m <= 0 { issues.append(.invalid(p + [.key("minDomains")], String(m), Upstream.notPositive)) }
                if c.whenUnsatisfiable != "DoNotSchedule" {
                    issues.append(
                        .invalid(
                            p + [.key("minDomains")], String(m),
                            "can only use minDomains if whenUnsatisfiable=DoNotSchedule, not \(c.whenUnsatisfiable)"))
                }
            }
            for (key, v) in [("nodeAffinityPolicy", c.nodeAffinityPolicy), ("nodeTaintsPolicy", c.nodeTaintsPolicy)] {
                if let v, !["Honor", "Ignore"].contains(v) {
                    issues.append(.unsupported(p + [.key(key)], v, ["Honor", "Ignore"]))
                }
            }
            // ValidateSpreadConstraintNotRepeat: {topologyKey, whenUnsatisfiable} once.
            if !seen.insert(c.topologyKey + "\u{0}" + c.whenUnsatisfiable).inserted {
                issues.append(
                    .duplicate(p + [.key("{topologyKey, whenUnsatisfiable}")], "{\(c.topologyKey), \(c.whenUnsatisfiable)}"))
            }
        }
        return issues
    }
}
