import Client
import Codec
import Domain
import Foundation
import Testing
import TestSupport
import Wire

/// Flags, environment variables and connection limits of the server (SPEC §1, §2).
@Suite(.serialized) struct LifecycleFlagTests {
    @Test("a bad flag value exits 2 with one line on stderr naming the flag", arguments: [
        (["--fsync", "sometimes"], "--fsync"), (["--max-connections", "0"], "--max-connections"), (["--idle-timeout", "x"], "--idle-timeout"),
        (["--max-in-flight", "-3"], "--max-in-flight"), (["--socket-mode", "999"], "--socket-mode"), (["--log-level", "loud"], "--log-level"),
        (["--max-frame-bytes", "1XB"], "--max-frame-bytes"), (["--drain-timeout", "soon"], "--drain-timeout"), (["--listen", "nowhere"], "--listen"), (["--listen", ""], "--listen"),
        (["--compaction-threshold", "big"], "--compaction-threshold"), (["--no-such-flag", "1"], "--no-such-flag"), (["--fsync"], "--fsync"),
    ])
    func badFlag(arguments: [String], flag: String) throws {
        let outcome = try ServerProcess.runToExit(arguments + ["--data-dir", TemporaryDirectory.make()], timeout: 60)
        #expect(outcome.status == 2)
        let lines = outcome.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(outcome.stderr)")
        #expect(lines.first?.contains(flag) == true, "\(outcome.stderr)")
        #expect(!outcome.stdout.contains("ready"))
    }

    @Test("a bad environment value exits 2 with one line naming it; a good flag beats a bad variable")
    func badVariable() throws {
        let outcome = try ServerProcess.runToExit(["--data-dir", TemporaryDirectory.make()], environment: ["ACHIEVEMENT_FSYNC": "sometimes"], timeout: 60)
        #expect(outcome.status == 2)
        #expect(outcome.stderr.split(separator: "\n").count == 1 && outcome.stderr.contains("ACHIEVEMENT_FSYNC"), "\(outcome.stderr)")
        let server = try ServerProcess(arguments: ["--fsync", "always"], environment: ["ACHIEVEMENT_FSYNC": "sometimes"])
        #expect(server.terminate() == 0)
    }

    @Test("--help lists every flag of SPEC §1 with its default and exits 0")
    func help() throws {
        let outcome = try ServerProcess.runToExit(["--help"], timeout: 60)
        #expect(outcome.status == 0)
        let flags = [("listen", "127.0.0.1:7070"), ("socket-mode", "0660"), ("data-dir", "./data"), ("catalog", "built-in demo"),
                     ("fsync", "always"), ("compaction-threshold", "64MiB"), ("repair", "off"), ("max-frame-bytes", "1MiB"),
                     ("max-connections", "1024"), ("max-in-flight", "256"), ("idle-timeout", "60s"), ("drain-timeout", "25s"),
                     ("log-level", "info")]
        let blocks = outcome.stdout.components(separatedBy: "\n  --").dropFirst()
        for (flag, value) in flags {
            let block = blocks.first { $0.hasPrefix(flag + " ") || $0.hasPrefix(flag + "\n") }
            #expect(block?.contains(value) == true, "--\(flag) default \(value)")
            let variable = "ACHIEVEMENT_" + flag.uppercased().replacingOccurrences(of: "-", with: "_")
            #expect(block?.contains(variable) == true, "--\(flag) variable")
        }
    }

    @Test("an empty ACHIEVEMENT_* variable counts as unset")
    func emptyVariable() throws {
        let server = try ServerProcess(environment: ["ACHIEVEMENT_FSYNC": "", "ACHIEVEMENT_MAX_FRAME_BYTES": ""])
        #expect(try Harness.connect(server.address).health().get().serving)
        #expect(server.terminate() == 0)
    }

    @Test("ACHIEVEMENT_LISTEN sets the address; a --listen flag beats it")
    func listenVariable() throws {
        let path = temporarySocketPath()
        let byVariable = try ServerProcess(environment: ["ACHIEVEMENT_LISTEN": "unix:\(path)"], defaultListen: false)
        #expect(byVariable.addresses == ["unix:\(path)"])
        #expect(try Harness.connect(byVariable.address).health().get().serving)
        #expect(byVariable.terminate() == 0)

        let other = temporarySocketPath()
        let byFlag = try ServerProcess(arguments: ["--listen", "127.0.0.1:0"], environment: ["ACHIEVEMENT_LISTEN": "unix:\(other)"])
        #expect(byFlag.addresses.count == 1 && byFlag.address.hasPrefix("127.0.0.1:"))
        #expect(fileMode(other) == nil)
        #expect(byFlag.terminate() == 0)
    }

    @Test("a damaged record before the log's tail stops the start naming file and offset; --repair starts without it, says what it dropped, and keeps a .broken copy")
    func repairOverTheWire() throws {
        let h = try Harness.start()
        for i in 0..<5 { _ = try h.client.create(h.validCreate(reference: "rep-\(i)")).get() }
        #expect(h.server.terminate() == 0)
        let segment = h.server.dataDir + "/wal-00000000000000000001.log"
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: segment)))
        var ends: [Int] = []  // record ends: a record is a 4-byte little-endian body length, a 4-byte checksum, a type byte, its body
        var offset = 0
        while offset + 9 <= bytes.count {
            let length = Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 | Int(bytes[offset + 2]) << 16 | Int(bytes[offset + 3]) << 24
            guard length > 0 else { break }  // the zeros written ahead
            offset += 9 + length
            ends.append(offset)
        }
        try #require(ends.count >= 6)
        let victim = ends[ends.count - 3]  // the third record from the end: an event record, with whole records after it
        bytes[victim + 12] ^= 0x20
        try Data(bytes).write(to: URL(fileURLWithPath: segment))
        let refused = try ServerProcess.runToExit(["--data-dir", h.server.dataDir, "--listen", "127.0.0.1:0"], timeout: 60)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains(segment) && refused.stderr.contains("offset \(victim)"), "\(refused.stderr)")
        let repaired = try ServerProcess(arguments: ["--repair"], dataDir: h.server.dataDir)
        #expect(repaired.readyLine.contains("events=4"), "\(repaired.readyLine)")
        #expect(repaired.logs.contains("records_dropped"), "\(repaired.logs)")
        #expect(FileManager.default.fileExists(atPath: segment + ".broken"))
        #expect(repaired.terminate() == 0)
    }

    @Test("a unix: path naming a regular file: exit 1 naming it, and the file is left as it was")
    func listenOnRegularFile() throws {
        let path = temporarySocketPath()
        try "keep me".write(toFile: path, atomically: false, encoding: .utf8)
        let outcome = try ServerProcess.runToExit(["--listen", "unix:\(path)", "--data-dir", TemporaryDirectory.make()], timeout: 60)
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("unix:\(path)") && outcome.stderr.contains("not a socket"), "\(outcome.stderr)")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "keep me")
        #expect(!outcome.stdout.contains("ready"))
    }

    @Test("a TCP address in use: exit 1 naming the address")
    func listenInUse() throws {
        let h = try Harness.start()
        let outcome = try ServerProcess.runToExit(["--listen", h.server.address, "--data-dir", TemporaryDirectory.make()], timeout: 60)
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("cannot listen: \(h.server.address)"), "\(outcome.stderr)")
    }

    @Test("a second server on the same data dir fails with a clear message and a non-zero exit")
    func dataDirLock() throws {
        let h = try Harness.start()
        let second = try ServerProcess.runToExit(["--data-dir", h.server.dataDir, "--listen", "127.0.0.1:0"], timeout: 60)
        #expect(second.status != 0 && second.status != -1)
        #expect(second.stderr.contains(h.server.dataDir) && second.stderr.contains("in use"), "\(second.stderr)")
        #expect(try h.client.create(h.validCreate()).get().id != nil)
    }

    @Test("--max-connections 2: a third connection gets RESOURCE_EXHAUSTED TOO_MANY_CONNECTIONS on call id 0, then close")
    func maxConnections() throws {
        let h = try Harness.start(["--max-connections", "2"])
        let second = try Harness.connect(h.server.address)
        #expect(try second.health().get().connections == 2)
        let third = try RawConnection(h.server.address)
        let (header, payload) = try #require(try third.readFrame())
        #expect(header.callID == 0 && header.kind == .response && header.code == StatusCode.resourceExhausted.rawValue)
        #expect(try errorPayload(payload).code == "TOO_MANY_CONNECTIONS")
        #expect(try third.isClosedByPeer())
        #expect(try h.client.health().get().connections == 2)
        second.close()
        var admitted = false
        for _ in 0..<100 where !admitted {
            Thread.sleep(forTimeInterval: 0.02)
            admitted = (try? Harness.connect(h.server.address).health().get()) != nil
        }
        #expect(admitted, "a slot freed by a close is not reused")
    }

    @Test("--idle-timeout 300ms: an idle connection, and one stalled mid-frame, get DEADLINE_EXCEEDED on call id 0, then close",
          arguments: [0, 5, 20])
    func idleTimeout(sentBytes: Int) throws {
        let server = try ServerProcess(arguments: ["--idle-timeout", "300ms"])
        let raw = try RawConnection(server.address)
        try raw.send(Array(requestFrame(method: 6, callID: 1, payload: [0x0A, 0x01, 0x41, 0x0A, 0x01, 0x41])[..<sentBytes]))
        let start = Date()
        let (header, payload) = try #require(try raw.readFrame())
        let elapsed = Date().timeIntervalSince(start)
        #expect(header.callID == 0 && header.code == StatusCode.deadlineExceeded.rawValue)
        #expect(try errorPayload(payload).code == "DEADLINE_EXCEEDED")
        #expect(try raw.isClosedByPeer())
        #expect(elapsed > 0.25 && elapsed < 3, "closed after \(elapsed) s")
    }

    @Test("--idle-timeout 300ms: a frame trickling in a byte every 50 ms is cut off once it has taken 300 ms, on call id 0")
    func tricklingFrame() throws {
        let server = try ServerProcess(arguments: ["--idle-timeout", "300ms"])
        let raw = try RawConnection(server.address)
        let frame = requestFrame(method: 6, callID: 1, payload: [UInt8](repeating: 0, count: 64))
        let start = Date()
        var sent = 0
        // Never the last byte; at most 2 s. Sends fail once the server has closed (SIGPIPE is ignored).
        while sent < frame.count - 1, Date().timeIntervalSince(start) < 2, (try? raw.send([frame[sent]])) != nil {
            sent += 1
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(sent < 25, "still taking bytes after \(Date().timeIntervalSince(start)) s: \(sent) sent")
        let (header, payload) = try #require(try raw.readFrame())
        #expect(header.callID == 0 && header.code == StatusCode.deadlineExceeded.rawValue)
        #expect(try errorPayload(payload).code == "DEADLINE_EXCEEDED")
        #expect(sent >= 5, "closed after \(sent) bytes, before the timeout")
    }

    @Test("--idle-timeout 0, or one of 300 years: a silent connection is never closed", arguments: ["0", "9999999999s"])
    func idleTimeoutOff(timeout: String) throws {
        let server = try ServerProcess(arguments: ["--idle-timeout", timeout])
        let client = try Harness.connect(server.address)
        #expect(try client.health().get().serving)
        Thread.sleep(forTimeInterval: 1.2)
        #expect(try client.health().get().serving)
    }

    @Test("--idle-timeout 300ms: a connection calling every 100 ms stays open")
    func busyConnectionStays() throws {
        let server = try ServerProcess(arguments: ["--idle-timeout", "300ms"])
        let client = try Harness.connect(server.address)
        for _ in 0..<10 {
            #expect(try client.health().get().serving)
            Thread.sleep(forTimeInterval: 0.1)
        }
    }

    @Test("--max-in-flight 2: at most 2 calls of a connection run at once, and every pipelined call is answered")
    func maxInFlight() throws {
        let h = try Harness.start(["--max-in-flight", "2"])
        let worker = try Harness.connect(h.server.address)
        let answers = Answers<Result<EventView, ClientError>>()
        for i in 0..<60 {
            sendCreate(worker, h.create { $0.externalSystemReferenceNumber = "mif-\(i)" }) { answers.add($0) }
        }
        var highest: UInt32 = 0
        for _ in 0..<2000 {
            let report = try h.client.health().get()
            highest = max(highest, report.callsInFlight)
            if report.events == 60 { break }
        }
        let results = answers.wait(for: 60, timeout: 30)
        #expect(results.count == 60 && results.allSatisfy { (try? $0.get()) != nil })
        #expect(highest <= 3, "calls in flight reached \(highest) (2 + the Health call itself)")
        #expect(try h.eventCount() == 60)
    }
}
