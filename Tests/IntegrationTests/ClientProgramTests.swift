import Foundation
import Testing
import TestSupport

/// The `achievement-client` binary built next to the server.
private var clientPath: String {
    URL(fileURLWithPath: ServerProcess.binaryPath).deletingLastPathComponent().appendingPathComponent("achievement-client").path
}

/// `achievement-client` for people and scripts (SPEC §1): JSON in, JSON out.
@Suite struct ClientProgramTests {
    /// Runs the client; its stdout as a JSON object (nil when it is not one).
    private func client(_ arguments: [String]) throws -> (status: Int32, json: [String: Any]?, stderr: String) {
        let run = try runProgram(clientPath, arguments, timeout: 30)
        let json = try? JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        return (run.status, json, run.stderr)
    }

    @Test("flags before or after the command; create, list (a state by name, fields left out) and show from --json files")
    func jsonIn() throws {
        let h = try Harness.start()
        let dir = TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(dir) }
        let target = ["--target", h.server.address]
        #expect(try client(target + ["health"]).json?["status"] as? String == "SERVING")
        #expect(try client(["health"] + target).json?["status"] as? String == "SERVING")
        let create = """
            {"accounts_receivable_identifier": {"number": "AR-1001"}, "classification_identifier": {"name": "Purchase"},
             "performed_by_unit_identifier": {"alternative_code": "U-COUNTER"}, "performed_on": 1767225600000, "amount": 25}
            """
        try create.write(toFile: dir + "/create.json", atomically: true, encoding: .utf8)
        let created = try client(target + ["create", "--json", dir + "/create.json"])
        #expect(created.status == 0, "\(created.stderr)")
        let number = try #require(created.json?["number"] as? String)
        try #"{"life_cycle_state": "POSTED"}"#.write(toFile: dir + "/list.json", atomically: true, encoding: .utf8)
        let listed = try client(target + ["list", "--json", dir + "/list.json"])
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect((listed.json?["events"] as? [[String: Any]])?.map { $0["number"] as? String } == [number])
        try #"{"customer_event_identifier": {"number": "\#(number)"}, "fields_set": ["number"]}"#.write(toFile: dir + "/show.json", atomically: true, encoding: .utf8)
        let shown = try client(["show", "--json", dir + "/show.json"] + target)
        #expect(shown.json?.keys.sorted() == ["number"] && shown.json?["number"] as? String == number, "\(shown.stderr)")
        try #"{"life_cycle_state": 7}"#.write(toFile: dir + "/bad.json", atomically: true, encoding: .utf8)
        let refused = try client(target + ["list", "--json", dir + "/bad.json"])
        #expect(refused.status == 1 && refused.stderr.contains("UNKNOWN_ENUM_VALUE"), "\(refused.stderr)")
    }

    @Test("mistakes are refused, not ignored: an unknown JSON field or a bad number exits 2 naming it; a refused connection prints its status and code")
    func mistakes() throws {
        let h = try Harness.start()
        let dir = TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(dir) }
        let target = ["--target", h.server.address]
        try #"{"accounts_receivable_identifier": {"numbr": "AR-1001"}, "amout": 25}"#.write(toFile: dir + "/typo.json", atomically: true, encoding: .utf8)
        let typo = try client(target + ["create", "--json", dir + "/typo.json"])
        #expect(typo.status == 2 && typo.stderr.contains("unknown field"), "\(typo.stderr)")
        try #"{"items": [{"amout": 1}]}"#.write(toFile: dir + "/bulk-typo.json", atomically: true, encoding: .utf8)
        let bulkTypo = try client(target + ["bulk", "--json", dir + "/bulk-typo.json"])
        #expect(bulkTypo.status == 2 && bulkTypo.stderr.contains("items[0].amout"), "\(bulkTypo.stderr)")
        #expect(try h.eventCount() == 0)
        let badSize = try client(target + ["list", "--page-size", "abc"])
        #expect(badSize.status == 2 && badSize.stderr.contains("--page-size"), "\(badSize.stderr)")
        let refused = try client(["--target", "unix:\(dir)/nothing.sock", "health"])
        #expect(refused.status == 1 && refused.stderr.contains("UNAVAILABLE CONNECT"), "\(refused.stderr)")
    }

    @Test("bulk: an unprocessed item shows the status it would have had alone")
    func bulkStatus() throws {
        let h = try Harness.start()
        let dir = TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(dir) }
        try #"{"items": [{"request_unique_identifier": "a"}]}"#.write(toFile: dir + "/bulk.json", atomically: true, encoding: .utf8)
        let bulk = try client(["--target", h.server.address, "bulk", "--json", dir + "/bulk.json"])
        #expect(bulk.status == 0, "\(bulk.stderr)")
        let unprocessed = bulk.json?["unprocessed_customer_events_set"] as? [[String: Any]]
        #expect(unprocessed?.first?["status"] as? Int == 3 && unprocessed?.first?["request_unique_identifier"] as? String == "a")
    }
}
