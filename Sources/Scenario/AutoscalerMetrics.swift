import KubeModel
import Simulation

/// A HorizontalPodAutoscaler's metrics and behaviour as the simulation takes them: the CPU
/// resource metric (Utilization, or AverageValue), upstream's defaults for what the
/// behaviour leaves out, and the run's note.
enum AutoscalerMetrics {
    /// The CPU target, and the metrics that are not modelled (named in the note).
    static func cpuTarget(_ fields: AutoscalerFields?) -> (AutoscalerSpec.CPUTarget?, [String]) {
        guard let fields else { return (nil, []) }
        if fields.metrics == nil {
            // autoscaling/v1, or v2 without metrics: the API server defaults to 80 % CPU
            // (pkg/apis/autoscaling/v2/defaults.go `SetDefaults_HorizontalPodAutoscaler`).
            return (.utilization(percent: fields.targetCPUUtilizationPercentage ?? 80), [])
        }
        var cpu: AutoscalerSpec.CPUTarget?, other: [String] = []
        for m in fields.metrics ?? [] {
            let target = m.resource?.target
            if m.type == "Resource", m.resource?.name == "cpu", cpu == nil {
                if target?.type == "Utilization", let u = target?.averageUtilization, u > 0 {
                    cpu = .utilization(percent: u); continue
                }
                if target?.type == "AverageValue", let v = target?.averageValue?.milliValue, v > 0 {
                    cpu = .averageValue(millicores: v); continue
                }
            }
            let name = m.type == "Resource" ? "Resource \(m.resource?.name ?? "?") \(target?.type ?? "?")" : (m.type ?? "?")
            other.append(name)
        }
        return (cpu, other)
    }

    /// `GenerateHPAScaleUpRules` / `GenerateHPAScaleDownRules`: what is not written keeps the default.
    static func behavior(_ b: AutoscalerFields.Behavior?) -> ScalingBehavior {
        ScalingBehavior(
            scaleUp: rules(b?.scaleUp, defaults: .defaultScaleUp),
            scaleDown: rules(b?.scaleDown, defaults: .defaultScaleDown))
    }

    private static func rules(_ r: AutoscalerFields.Rules?, defaults: ScalingRules) -> ScalingRules {
        guard let r else { return defaults }
        let policies = (r.policies ?? []).compactMap { p -> ScalingRules.Policy? in
            guard let type = p.type.flatMap(ScalingRules.Policy.Kind.init(rawValue:)), let v = p.value, let s = p.periodSeconds
            else { return nil }
            return ScalingRules.Policy(type: type, value: v, periodSeconds: s)
        }
        return ScalingRules(
            stabilizationWindowSeconds: r.stabilizationWindowSeconds ?? defaults.stabilizationWindowSeconds,
            selectPolicy: r.selectPolicy.flatMap(ScalingRules.SelectPolicy.init(rawValue:)) ?? .Max,
            policies: policies.isEmpty ? defaults.policies : policies)
    }

    /// "HorizontalPodAutoscaler shop/web: scales deployment/shop/web between 2 and 10 on CPU …".
    static func note(
        _ name: String, target: String, cpu: AutoscalerSpec.CPUTarget?, unmodelled: [String],
        minReplicas: Int, maxReplicas: Int
    ) -> String {
        let others = unmodelled.isEmpty ? "" : "; metrics not modelled: \(unmodelled.joined(separator: ", "))"
        guard let cpu else {
            return
                "HorizontalPodAutoscaler \(name): no CPU resource metric to act on\(others); \(target) is held within \(minReplicas)–\(maxReplicas) and its load only reported."
        }
        let goal =
            switch cpu {
            case .utilization(let p): "\(p) % CPU utilisation"
            case .averageValue(let m): "\(m)m CPU per pod"
            }
        return
            "HorizontalPodAutoscaler \(name): scales \(target) between \(minReplicas) and \(maxReplicas) towards \(goal) of the load profile, synced every 15 s\(others)."
    }
}
