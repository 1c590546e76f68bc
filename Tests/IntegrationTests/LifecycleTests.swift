import Client
import Codec
import Domain
import Foundation
import Posix
import Testing
import TestSupport
import Wire

/// The server as a sidecar: Unix sockets, several listeners, graceful drain (SPEC §1, §2).
@Suite(.serialized) struct LifecycleTests {
    @Test("a call over a Unix socket; the socket file is 0660 by default and removed at exit")
    func unixSocket() throws {
        let path = temporarySocketPath()
        let h = try Harness.start(["--listen", "unix:\(path)"])
        #expect(h.server.addresses == ["unix:\(path)"])
        #expect(h.server.readyLine.hasPrefix("ready listen=unix:\(path) events=0 recovered_in="))
        #expect(try h.client.create(h.validCreate()).get().lifeCycleState == .posted)
        let mode = try #require(fileMode(path))
        #expect(mode & S_IFMT == S_IFSOCK)
        #expect(mode & 0o777 == 0o660)
        h.client.close()
        #expect(h.server.terminate() == 0)
        #expect(fileMode(path) == nil)
    }

    @Test("--socket-mode 0600 is honoured")
    func socketMode() throws {
        let path = temporarySocketPath()
        let server = try ServerProcess(arguments: ["--listen", "unix:\(path)", "--socket-mode", "0600"])
        #expect(try #require(fileMode(path)) & 0o777 == 0o600)
        #expect(try Harness.connect(server.address).health().get().serving)
        #expect(server.terminate() == 0)
    }

    @Test("two listeners at once, TCP and Unix: both answer, one server behind them")
    func twoListeners() throws {
        let path = temporarySocketPath()
        let h = try Harness.start(["--listen", "127.0.0.1:0", "--listen", "unix:\(path)"])
        #expect(h.server.addresses.count == 2)
        #expect(h.server.addresses[0].hasPrefix("127.0.0.1:") && !h.server.addresses[0].hasSuffix(":0"))
        #expect(h.server.addresses[1] == "unix:\(path)")
        let overUnix = try Harness.connect(h.server.addresses[1])
        let event = try overUnix.create(h.validCreate()).get()
        #expect(try h.get(id: event.id).get() == event)
        #expect(try overUnix.health().get().connections == 2)
        #expect(h.server.terminate() == 0)
        #expect(fileMode(path) == nil)
    }

    @Test("--listen localhost:0 and :0 print the numeric address bound (127.0.0.1, 0.0.0.0) with the real port, and answer there",
          arguments: [("localhost:0", "127.0.0.1:"), (":0", "0.0.0.0:")])
    func namedAndEmptyHost(listen: String, printed: String) throws {
        let h = try Harness.start(["--listen", listen])
        #expect(h.server.address.hasPrefix(printed) && !h.server.address.hasSuffix(":0"), "\(h.server.address)")
        let port = try #require(h.server.address.split(separator: ":").last)
        #expect(try Harness.connect("127.0.0.1:\(port)").health().get().serving)
    }

    @Test("IPv6: --listen [::1]:0 prints [::1]:<port> and answers there",
          .enabled(if: (try? String(contentsOfFile: "/proc/net/if_inet6", encoding: .utf8))?.contains("00000000000000000000000000000001") == true))
    func ipv6() throws {
        let h = try Harness.start(["--listen", "[::1]:0"])
        #expect(h.server.address.hasPrefix("[::1]:") && !h.server.address.hasSuffix(":0"))
        #expect(try h.client.create(h.validCreate()).get().id != nil)
    }

    @Test("a restart binds the same TCP port at once despite connections in TIME_WAIT; a missing data dir is created")
    func rebindAndDataDir() throws {
        let dataDir = TemporaryDirectory.make() + "/nested/data"
        let h = try Harness.start(dataDir: dataDir)
        let address = h.server.address
        let event = try h.client.create(h.validCreate()).get()
        for _ in 0..<5 { _ = try Harness.connect(address).health().get() }
        #expect(h.server.terminate() == 0)  // the server closes the connections: its side is in TIME_WAIT
        let again = try Harness.start(["--listen", address], dataDir: dataDir)
        #expect(again.server.address == address)
        #expect(try again.get(id: event.id).get() == event)
    }

    @Test("SIGTERM with ~100 creates in flight on 4 connections: all answered OK, exit 0, all durable, socket removed",
          arguments: ["always", "interval:5", "never"])
    func drainUnderLoad(fsync: String) throws {
        let path = temporarySocketPath()
        let h = try Harness.start(["--listen", "unix:\(path)", "--listen", "127.0.0.1:0", "--fsync", fsync])
        let clients = try (0..<4).map { try Harness.connect(h.server.addresses[$0 % 2]) }
        let answers = Answers<Result<EventView, ClientError>>()
        for (c, client) in clients.enumerated() {
            for i in 0..<25 {
                sendCreate(client, h.create { $0.externalSystemReferenceNumber = "drain-\(c)-\(i)" }) { answers.add($0) }
            }
        }
        h.server.send(signal: SIGTERM)
        let results = answers.wait(for: 100, timeout: 30)
        #expect(results.count == 100)
        let failures = results.compactMap(\.failure)
        #expect(failures.isEmpty, "\(failures.count) failed, first: \(String(describing: failures.first))")
        #expect(h.server.waitForExit(timeout: 30) == 0)
        #expect(fileMode(path) == nil)
        let again = try Harness.start(dataDir: h.server.dataDir)
        for event in results.compactMap({ try? $0.get() }) {
            #expect(try again.get(id: event.id).get() == event)
        }
        #expect(try again.eventCount() == UInt64(results.count { (try? $0.get()) != nil }))
    }

    @Test("SIGTERM during recovery: the start finishes, nothing is lost, and the server exits 0 (the signal killed it mid-replay); a second one exits 1 at once")
    func sigtermDuringRecovery() throws {
        let h = try Harness.start(["--fsync", "never"])
        let items = (0..<1000).map { i in
            var item = h.validCreate(amount: Double(i))
            item.token = nil
            return item
        }
        for _ in 0..<40 { _ = try h.client.bulk(CreateBulk(token: h.token, items: items)).get() }
        #expect(h.server.terminate() == 0)
        let once = try Self.signalDuringRecovery(dataDir: h.server.dataDir, signals: 1)
        #expect(once.reason == .exit && once.status == 0)
        let twice = try Self.signalDuringRecovery(dataDir: h.server.dataDir, signals: 2)
        #expect(twice.reason == .exit && twice.status == 1)
        let again = try ServerProcess(dataDir: h.server.dataDir)
        #expect(again.readyLine.contains("events=40000"), "\(again.readyLine)")
        #expect(again.terminate() == 0)
    }

    /// Starts the server on `dataDir`, sends `signals` SIGTERMs once it has logged `starting`
    /// (its handlers are in place; 40,000 events then take this debug build far longer to
    /// replay), and returns how it ended.
    private static func signalDuringRecovery(dataDir: String, signals: Int) throws -> (reason: Process.TerminationReason, status: Int32) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ServerProcess.binaryPath)
        process.arguments = ["--data-dir", dataDir, "--listen", "127.0.0.1:0", "--log-level", "info"]
        process.standardOutput = FileHandle.nullDevice
        let log = TemporaryDirectory.make() + "/stderr"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: log)
        // The child inherits this thread's signal mask; the test runner's threads block
        // SIGTERM, which would hide the fault: unblock it for the spawn, as a shell starts it.
        var term = sigset_t()
        sigemptyset(&term)
        sigaddset(&term, SIGTERM)
        var previous = sigset_t()
        pthread_sigmask(SIG_UNBLOCK, &term, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        try process.run()
        let started = Date().addingTimeInterval(30)
        while Date() < started, !((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains("msg=starting") {
            Thread.sleep(forTimeInterval: 0.002)
        }
        for _ in 0..<signals {
            kill(process.processIdentifier, SIGTERM)
            Thread.sleep(forTimeInterval: 0.01)
        }
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return (process.terminationReason, process.terminationStatus)
    }

    @Test("SIGTERM while requests wait unread in the socket (--max-in-flight 1 stopped reading): they are still read and answered")
    func drainReadsWhatWasSent() throws {
        let h = try Harness.start(["--max-in-flight", "1"])
        let worker = try Harness.connect(h.server.address)
        let answers = Answers<Result<EventView, ClientError>>()
        for i in 0..<500 {  // ~80 KB: more than the server reads at once
            sendCreate(worker, h.create { $0.externalSystemReferenceNumber = "unread-\(i)"; $0.description = String(repeating: "x", count: 40) }) { answers.add($0) }
        }
        Thread.sleep(forTimeInterval: 0.05)
        h.server.send(signal: SIGTERM)
        let results = answers.wait(for: 500, timeout: 60)
        let failures = results.compactMap(\.failure)
        #expect(results.count == 500 && failures.isEmpty, "\(failures.count) of \(results.count) failed, first: \(String(describing: failures.first))")
        #expect(h.server.waitForExit(timeout: 30) == 0)
    }

    @Test("during the drain Health says NOT_SERVING, new connections are refused, and the connection then closes with UNAVAILABLE")
    func healthWhileDraining() throws {
        let server = try ServerProcess(arguments: ["--drain-timeout", "10s"])
        let raw = try RawConnection(server.address)
        let frame = requestFrame(method: 6, callID: 7, payload: Self.unknownField)
        try raw.send(Array(frame[..<10]))  // a request still arriving holds the drain open
        Thread.sleep(forTimeInterval: 0.1)
        server.send(signal: SIGTERM)
        try Self.trickle(raw, frame[10..<16])
        #expect(server.isRunning)
        #expect(throws: Errno.self) { try Socket.connect(to: #require(SocketAddress(parsing: server.address))).close() }
        try raw.send(Array(frame[16...]))
        let (header, payload) = try #require(try raw.readFrame())
        #expect(header.callID == 7 && header.code == 0)
        let report = try payload.withUnsafeBytes { try HealthReport(payload: $0) }
        #expect(!report.serving)
        let (last, error) = try #require(try raw.readFrame())
        #expect(last.callID == 0 && last.code == StatusCode.unavailable.rawValue)
        #expect(try errorPayload(error).code == "SHUTTING_DOWN")
        #expect(try raw.isClosedByPeer())
        #expect(server.waitForExit(timeout: 60) == 0)
    }

    /// A HealthRequest payload of one unknown field (999, 32 bytes): a frame long enough to trickle.
    static let unknownField: [UInt8] = [0xBA, 0x3E, 0x20] + [UInt8](repeating: 0x61, count: 32)

    /// Sends `bytes` one at a time, 50 ms apart: a frame still on its way, which a draining
    /// server waits for (one stalled a second mid-frame, it drops).
    static func trickle(_ raw: RawConnection, _ bytes: ArraySlice<UInt8>) throws {
        for byte in bytes {
            try raw.send([byte])
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    @Test("a peer stalled mid-frame does not hold the drain: after a second without a byte it gets UNAVAILABLE on call id 0, and the server exits 0")
    func stalledFrameDuringDrain() throws {
        let server = try ServerProcess(arguments: ["--drain-timeout", "20s"])
        let raw = try RawConnection(server.address)
        try raw.send(Array(requestFrame(method: 6, callID: 3)[..<9]))
        Thread.sleep(forTimeInterval: 0.1)
        let start = Date()
        server.send(signal: SIGTERM)
        let (last, error) = try #require(try raw.readFrame())
        #expect(last.callID == 0 && last.code == StatusCode.unavailable.rawValue)
        #expect(try errorPayload(error).code == "SHUTTING_DOWN")
        #expect(server.waitForExit(timeout: 60) == 0)
        let elapsed = Date().timeIntervalSince(start)
        #expect(elapsed > 0.9 && elapsed < 5, "exited after \(elapsed) s")
    }

    @Test("SIGTERM or SIGINT sent the moment the ready line is out still drains: exit 0", arguments: [SIGTERM, SIGINT])
    func signalRightAfterReady(signal: Int32) throws {
        for _ in 0..<5 {
            let server = try ServerProcess()
            server.send(signal: signal)
            #expect(server.waitForExit(timeout: 60) == 0)
        }
    }

    @Test("a second signal during the drain exits at once with 1")
    func secondSignal() throws {
        let server = try ServerProcess(arguments: ["--drain-timeout", "20s"])
        let raw = try RawConnection(server.address)
        let frame = requestFrame(method: 6, callID: 1, payload: Self.unknownField)
        try raw.send(Array(frame[..<8]))  // a request still arriving holds the drain open
        Thread.sleep(forTimeInterval: 0.1)
        server.send(signal: SIGTERM)
        try Self.trickle(raw, frame[8..<14])
        #expect(server.isRunning)
        let start = Date()
        server.send(signal: SIGTERM)
        #expect(server.waitForExit(timeout: 60) == 1)
        #expect(Date().timeIntervalSince(start) < 2)
    }

    @Test("a stale socket file nobody listens on is replaced; a live one is not stolen")
    func staleSocket() throws {
        let path = temporarySocketPath()
        let (leftover, _) = try Socket.listen(on: .unix(path: path))
        leftover.close()  // the file stays behind, as after a crash
        #expect(fileMode(path).map { $0 & S_IFMT == S_IFSOCK } == true)
        let h = try Harness.start(["--listen", "unix:\(path)"])
        #expect(try h.client.health().get().serving)

        let second = try ServerProcess.runToExit(["--listen", "unix:\(path)", "--data-dir", TemporaryDirectory.make()], timeout: 60)
        #expect(second.status != 0 && second.status != -1)
        #expect(!second.stderr.isEmpty)
        #expect(try Harness.connect(h.server.address).health().get().serving, "the first server lost its socket")
        #expect(h.server.terminate() == 0)
    }
}
