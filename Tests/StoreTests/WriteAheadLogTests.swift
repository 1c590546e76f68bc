import Dispatch
import Foundation
import Posix
@testable import Store
import Synchronization
import Testing
import TestSupport

@Suite struct WriteAheadLogTests {
    /// The record bodies of segment 1 in `directory`, in log order.
    func bodies(_ directory: String) throws -> [[UInt8]] {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: WriteAheadLog.segmentPath(directory, 1))))
        var all: [[UInt8]] = []
        let (_, damage) = bytes.withUnsafeBytes { raw in
            LogReader.scan(raw) { _, body in
                all.append(Array(body))
                return true
            }
        }
        #expect(damage == nil)
        return all
    }

    @Test("tickets keep log order: a record filled before an earlier ticket waits for it, and neither is durable before both are written", arguments: [FsyncPolicy.always, .never])
    func ticketsKeepOrder(policy: FsyncPolicy) throws {
        let dir = TemporaryDirectory.make()
        defer { TemporaryDirectory.remove(dir) }
        let log = try WriteAheadLog(directory: dir, sequence: 1, policy: policy, onFatal: { fatalError($0) })
        let durable = Locked<[String]>([])
        let first = log.reserve()
        let second = log.reserve()
        let secondDuty = log.fill(second, record: WriteAheadLog.frameRecord { $0 += [2, 2] }) { durable.withLock { $0.append("second") } }
        if case .lead = secondDuty { log.lead() }
        let waiter = log.whenDurable { durable.withLock { $0.append("barrier") } }
        if case .lead = waiter { log.lead() }
        Thread.sleep(forTimeInterval: 0.05)
        #expect(durable.withLock { $0 }.isEmpty, "nothing may be durable while ticket 1 is unfilled")
        let firstDuty = log.fill(first, record: WriteAheadLog.frameRecord { $0 += [1] }) { durable.withLock { $0.append("first") } }
        if case .lead = firstDuty { log.lead() }
        let deadline = DispatchTime.now().uptimeNanoseconds + 5_000_000_000
        while durable.withLock({ $0.count }) < 3 && DispatchTime.now().uptimeNanoseconds < deadline { Thread.sleep(forTimeInterval: 0.001) }
        #expect(durable.withLock { $0 } == ["first", "second", "barrier"])
        log.close()
        #expect(try bodies(dir) == [[1], [2, 2]])
    }
}
