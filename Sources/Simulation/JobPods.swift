import KubeModel
import SimKernel

// Job pods as the cluster sees them once the kubelet (`Kubelet/KubeletJobPods.swift`) ends
// their run: restarts in place under restartPolicy OnFailure count toward the Job's
// backoffLimit; a pod whose phase is Succeeded or Failed stops taking room, because the
// scheduler drops a pod in a terminal phase from its cache (pkg/scheduler/eventhandlers.go
// `updatePodInCache` deletes it once `podutil.IsPodTerminal`), so NodeResourcesFit no longer
// counts its requests. The finished pod's object is not kept here (upstream keeps it until
// the Job goes); nothing in the simulation reads it.

extension PodTimingRule {
    /// A Job pod's run, failure chance and a failed run's exit code: per field, the first rule
    /// matching the pod's labels that sets it, else the defaults.
    ///
    /// The simulation's kubelet and the planner's peak demand read the same assumption.
    public static func jobRun(labels: [String: String], rules: [PodTimingRule]) -> (
        run: Distribution, failureProbability: Double, exitCode: Int32
    ) {
        var run: Distribution?, failure: Double?, code: Int32?
        for rule in rules where rule.selector.matches(labels) {
            run = run ?? rule.runDuration
            failure = failure ?? rule.failureProbability
            code = code ?? rule.exitCode
        }
        return (run ?? defaultRunDuration, failure ?? defaultFailureProbability, code ?? defaultExitCode)
    }
}

extension ClusterSimulation: JobControllerContext {
    func schedule(_ event: JobEvent, at time: SimTime) { engine.schedule(.job(event), at: time) }

    func informerLatency() -> SimTime { params.apiLatency }

    func addJobWorkload(name: String) -> WorkloadID { addWorkload(name: name, kind: "Job", desired: 0) }

    func createJobPod(_ job: SimJob, name: String, labels: [String: String], owner: PodOwner) -> PodID? {
        let spec = job.spec.template.spec
        if refusedByAdmission(
            spec, namespace: job.namespace, podName: name, owner: "Job \(job.key)",
            event: { "Error creating: \($0)" })
        {
            return nil
        }
        return createPod(name: name, namespace: job.namespace, labels: labels, spec: spec, owner: owner, workload: job.workload)
    }

    func generatedSuffix(for job: String) -> String {
        // apimachinery's rand.String alphabet: no vowels, no confusable digits.
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        return drawInSequence("job/\(job)", "pod-names") { rng in
            String((0..<5).map { _ in alphabet[Int(rng.nextUnit() * Double(alphabet.count)) % alphabet.count] })
        }
    }

    func containerRestartCount(_ pod: PodID) -> Int { containerRestarts.restarts(pod) }

    func jobFinished(_ job: Int) {
        if let c = jobController.jobs[job].cronJob { cronJobController.jobFinished(job, cronJob: c, in: self) }
    }
}

extension ClusterSimulation {
    /// The machine under a Job pod restarted: a container of restartPolicy Never is not started
    /// again, so the kubelet reports the pod Failed (OnFailure pods start again like any other).
    ///
    /// Returns whether the pod ended.
    func jobPodFailedByReboot(_ id: PodID) -> Bool {
        guard let pod = pods[id], case .job = pod.owner, pod.spec.restartPolicy == "Never" else { return false }
        setPodReady(id, false)
        jobController.podFinished(id, succeeded: false, lost: true, in: self)
        removePod(id)
        return true
    }
}
