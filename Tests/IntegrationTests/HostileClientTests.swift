import Client
import Codec
import Dispatch
import Domain
import Foundation
import Posix
import Synchronization
import Testing
import TestSupport
import Wire

/// One hostile behaviour on its own connection.
enum Abuse: CaseIterable {
    case garbage, halfFrame, oversized, stall, abruptClose, brokenLength, badVersion, floodOfCalls

    func run(_ address: String, seed: Int) {
        guard let raw = try? RawConnection(address) else { return }
        defer { raw.close() }
        var random = SystemRandomNumberGenerator()
        switch self {
        case .garbage:
            try? raw.send((0..<(200 + seed % 3000)).map { _ in UInt8.random(in: 0...255, using: &random) })
        case .halfFrame:
            try? raw.send(Array(requestFrame(method: 2, callID: 1, payload: Array(repeating: 0x41, count: 100)).prefix(40)))
            usleep(300_000)
        case .oversized:
            try? raw.send(requestFrame(method: 2, callID: 9, payload: Array(repeating: 0x42, count: 200_000)))
            _ = try? raw.readFrame()
        case .stall:
            usleep(300_000)
        case .abruptClose:
            try? raw.send(requestFrame(method: 6, callID: 1))
        case .brokenLength:
            try? raw.send([0, 0, 0, 3, 9, 9, 9, 9])
            _ = try? raw.readFrame()
        case .badVersion:
            try? raw.send(requestFrame(method: 6, callID: 3, version: 7))
            _ = try? raw.readFrame()
        case .floodOfCalls:
            var frames: [UInt8] = []
            for id in 1...300 { frames += requestFrame(method: 6, callID: UInt32(id)) }
            try? raw.send(frames)
            for _ in 0..<300 { if (try? raw.readFrame()) == nil { break } }
        }
    }
}

@Suite(.serialized) struct HostileClientTests {
    @Test("200 hostile connections do not disturb well-behaved clients; afterwards the server is SERVING, every acknowledged event is there, and RSS stayed bounded")
    func hostileMix() throws {
        // An idle timeout long enough that a well-behaved client starved of CPU (200 threads,
        // sanitizers) is not closed as idle between two of its calls; the stalling peers are
        // still cut off by it, and closed by their own side after their stall.
        let h = try Harness.start(["--idle-timeout", "2s", "--max-frame-bytes", "64KiB", "--max-in-flight", "64"])
        let address = h.server.address
        let acked = Locked<[EventView]>([])
        let failures = Locked<[String]>([])
        let done = Atomic<Bool>(false)
        let goodClients = DispatchGroup()
        for worker in 0..<4 {
            DispatchQueue.global().async(group: goodClients) {
                guard let client = try? Harness.connect(address) else { return failures.withLock { $0.append("connect") } }
                defer { client.close() }
                var i = 0
                while (i < 50 || !done.load(ordering: .relaxed)) && i < 2_000 {
                    switch client.create(h.validCreate(amount: Double(i), reference: "good-\(worker)-\(i)")) {
                    case .success(let event): acked.withLock { $0.append(event) }
                    case .failure(let error): failures.withLock { $0.append(error.description) }
                    }
                    i += 1
                }
            }
        }
        let hostile = DispatchGroup()
        for n in 0..<200 {
            hostile.enter()
            Thread.detachNewThread {
                Abuse.allCases[n % Abuse.allCases.count].run(address, seed: n)
                hostile.leave()
            }
        }
        hostile.wait()
        done.store(true, ordering: .relaxed)
        goodClients.wait()
        #expect(failures.withLock { $0 }.isEmpty, "server log: \(h.server.logs.suffix(3000))")
        let rssKiB = residentKiB(pid: h.server.pid)
        #expect(rssKiB < 200_000, "RSS \(rssKiB) KiB")
        let checker = try Harness.connect(address)
        defer { checker.close() }
        #expect(try checker.health().get().serving)
        let events = acked.withLock { $0 }
        #expect(!events.isEmpty)
        for event in events.shuffled().prefix(200) {
            let again = try checker.get(EventLookup(token: h.token, customerEventIdentifier: CustomerEventIdentifier(id: event.id))).get()
            #expect(again == event)
        }
        print("hostile mix: \(events.count) good creates acknowledged, server RSS \(rssKiB) KiB")
    }
}

/// VmRSS of a process in KiB (0 when unreadable).
func residentKiB(pid: Int32) -> Int {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return 0 }
    return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
}
