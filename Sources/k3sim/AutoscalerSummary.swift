import Simulation

/// The HorizontalPodAutoscalers (and loads without one) of a run in the text summary: one
/// line each — replicas at start and most reached, time at maxReplicas, peak utilisation —
/// then its rescales.
enum AutoscalerSummary {
    static func lines(_ r: RunRecord) -> [String] {
        (r.autoscalers ?? []).flatMap { a -> [String] in
            let peak =
                a.peakUtilization.map { "peak CPU \($0) % of requests at \(TextSummary.seconds(a.peakUtilizationAt ?? 0))" }
                ?? "no CPU measured"
            guard !a.name.isEmpty else {
                return ["Load on \(a.target) (no HorizontalPodAutoscaler): \(peak); replicas fixed at \(a.initialReplicas)"]
            }
            let atMax =
                a.hitMaxReplicas
                ? "at maxReplicas \(a.maxReplicas) for \(TextSummary.seconds(a.secondsAtMax))"
                : "never at maxReplicas \(a.maxReplicas)"
            let pending =
                a.maxPendingPods > 0 ? "up to \(a.maxPendingPods) pod(s) Pending for want of room" : "every pod found room"
            var out = [
                "HorizontalPodAutoscaler \(a.name) → \(a.target): \(a.initialReplicas) → up to \(a.maxReplicasReached) replicas, \(atMax); \(peak); \(pending)"
            ]
            out += a.rescales.map { s in
                "  \(TextSummary.seconds(s.at)): \(s.from) → \(s.to)" + (s.utilization.map { " at \($0) % CPU" } ?? " (bounds)")
                    + " (load \(Double(s.demandMillicores) / 1000) cores)"
            }
            return out
        }
    }
}
