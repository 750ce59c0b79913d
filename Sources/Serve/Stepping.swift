import Foundation
import Scenario
import SimKernel

/// `POST /k3sim/step` with `{"by":"30s"}`: the simulated clock moves on by that much at once,
/// every event due meanwhile is stepped, and the watches hear of the changes before the
/// answer. With `--speed 0` the clock moves only this way, so a drill can be walked through
/// one step at a time; at other speeds the step is added to the paced clock.
extension ServedCluster {
    func step(_ body: Data) -> APIReply {
        guard let doc = (try? JSONSerialization.jsonObject(with: body)) as? JSON, let text = doc["by"] as? String else {
            return failure(400, "BadRequest", "expected a JSON object with \"by\", e.g. {\"by\":\"30s\"}")
        }
        guard let by = DurationValue.parse(text), by > .zero else {
            return failure(400, "BadRequest", "\"by\": \"\(text)\" is not a positive duration such as 30s or 5m")
        }
        let from = server.now
        stepped = stepped + by
        server.advance(to: from + by)
        publishChanges()
        return json([
            "stepped": [
                "fromSeconds": from.seconds, "toSeconds": server.now.seconds, "time": SimClock.timestamp(server.now),
                "finished": server.finished,
            ]
        ])
    }
}
