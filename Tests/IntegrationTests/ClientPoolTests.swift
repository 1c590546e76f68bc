import Client
import Domain
import Foundation
import Posix
import Testing
import TestSupport

@Suite(.serialized) struct ClientPoolTests {
    @Test("the pool spreads calls, survives a server restart (reconnect + retry), and retries creates that carry a reference")
    func reconnects() throws {
        let dataDir = TemporaryDirectory.make()
        let first = try Harness.start(dataDir: dataDir)
        let address = try #require(SocketAddress(parsing: first.server.address))
        let pool = ClientPool(ClientPoolConfiguration(address: address, connections: 3, deadlineMs: 5_000, maxRetries: 8, initialBackoffMs: 20))
        defer { pool.close() }
        let token = try pool.login(LoginCommand(username: "demo", password: "demo-password", organisation: "DEMO")).get().token
        var create = first.validCreate(reference: "pool-1")
        create.token = token
        let created = try pool.create(create).get()
        for _ in 0..<6 { #expect(try pool.health().get().serving) }
        #expect(first.server.terminate() == 0)
        // Same port, same data dir: SO_REUSEADDR lets it bind at once.
        let second = try Harness.start(["--listen", first.server.address], dataDir: dataDir)
        _ = second
        // Tokens live in memory: a restarted server wants a new login (PROTOCOL.md).
        let stale = pool.create(create)
        #expect(stale.failureCode == "TOKEN_INVALID")
        create.token = try pool.login(LoginCommand(username: "demo", password: "demo-password", organisation: "DEMO")).get().token
        let again = try pool.create(create).get()
        #expect(again.id == created.id && again.number == created.number)
        let shown = try pool.get(EventLookup(token: create.token, customerEventIdentifier: CustomerEventIdentifier(id: created.id))).get()
        #expect(shown.id == created.id)
    }

    @Test("a client nobody holds any more is freed and its connection closed (no cycle with its connection)")
    func droppedClientIsFreed() throws {
        let h = try Harness.start()
        weak var dropped: Client?
        do {
            let client = try Harness.connect(h.server.address)
            #expect(try client.health().get().connections == 2)  // this one and the harness's
            dropped = client
        }
        for _ in 0..<100 where dropped != nil { usleep(10_000) }  // the loop may still be dropping a finished task's closure
        #expect(dropped == nil)
        var connections: UInt32 = 0
        for _ in 0..<100 {  // the server notices the close within a round or two
            connections = try h.client.health().get().connections
            if connections == 1 { break }
            usleep(10_000)
        }
        #expect(connections == 1)
    }

    @Test("shard routing is a stable hash: the same account always maps to the same shard")
    func sharding() {
        #expect(shardIndex(forAccount: "AR-1001", shards: 4) == shardIndex(forAccount: "AR-1001", shards: 4))
        let spread = Set((0..<200).map { shardIndex(forAccount: "AR-\($0)", shards: 4) })
        #expect(spread == [0, 1, 2, 3])
        #expect(shardIndex(forAccount: "AR-1001", shards: 4) == 3)  // pinned: routing must never change between releases
    }
}

extension Result where Failure == ClientError {
    /// The error code, or nil on success.
    var failureCode: String? {
        if case .failure(let error) = self { return error.code }
        return nil
    }
}
