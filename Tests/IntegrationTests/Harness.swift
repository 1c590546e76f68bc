import CatalogFile
import Client
import Codec
import Dispatch
import Domain
import Foundation
import Posix
import Testing
import TestSupport
import Wire

/// A started server plus a connected client and a token for the demo user.
struct Harness {
    let server: ServerProcess
    let client: Client
    let token: String
    /// The extra server arguments this harness was started with (kept by `restart`).
    var arguments: [String] = []

    /// `performed_on` of `validCreate`: 2026-01-01T00:00:00Z.
    static let baseTime: Milliseconds = 1_767_225_600_000

    /// Starts a server with the demo catalog written to a temporary file.
    /// The demo catalog as a file, written once per test process.
    private static let demoCatalogPath: Result<String, any Error> = Result {
        let path = TemporaryDirectory.make(prefix: "catalog") + "/catalog.json"
        try DemoCatalog.json.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func start(_ arguments: [String] = [], dataDir: String? = nil) throws -> Harness {
        let catalogPath = try demoCatalogPath.get()
        let server = try ServerProcess(arguments: ["--catalog", catalogPath] + arguments, dataDir: dataDir)
        let client = try connect(server.address)
        let token = try client.login(LoginCommand(username: "demo", password: "demo-password", organisation: "DEMO")).get().token
        return Harness(server: server, client: client, token: token, arguments: arguments)
    }

    /// Stops this server with SIGTERM (expecting exit 0) and starts a new one on the same data dir.
    func restart() throws -> Harness {
        client.close()
        #expect(server.terminate() == 0)
        return try Harness.start(arguments, dataDir: server.dataDir)
    }

    /// A lookup (Get or Cancel) by `identifier`, with this harness's token.
    func lookup(_ identifier: CustomerEventIdentifier, fields: [String] = []) -> EventLookup {
        EventLookup(token: token, customerEventIdentifier: identifier, fieldsSet: fields)
    }

    /// GetCustomerEvent by id.
    func get(id: String?) -> Result<EventView, ClientError> {
        client.get(lookup(CustomerEventIdentifier(id: id)))
    }

    /// A list query with this harness's token.
    func listQuery(pageSize: UInt32 = 0, _ adjust: (inout ListEvents) -> Void = { _ in }) -> ListEvents {
        var query = ListEvents()
        query.token = token
        query.pageSize = pageSize
        adjust(&query)
        return query
    }

    /// Every event of `query`, following `next_page_token` to the end (at most 10 000 pages).
    func listAll(_ query: ListEvents, client: Client? = nil) throws -> [EventView] {
        var query = query
        var all: [EventView] = []
        for _ in 0..<10_000 {
            let page = try (client ?? self.client).list(query).get()
            all += page.events
            if page.nextPageToken.isEmpty { return all }
            query.pageToken = page.nextPageToken
        }
        throw TestFailure("list did not end")
    }

    /// Creates `commands` in one bulk call (keys "0", "1", …); throws unless all are processed.
    func bulkCreate(_ commands: [CreateAchievement]) throws -> [BulkResult.Processed] {
        let items = commands.enumerated().map { index, command in
            var item = command
            item.requestUniqueIdentifier = String(index)
            return item
        }
        let result = try client.bulk(CreateBulk(token: token, items: items)).get()
        guard result.unprocessed.isEmpty, result.processed.count == commands.count else {
            throw TestFailure("bulk: \(result.unprocessed.count) unprocessed, first: \(String(describing: result.unprocessed.first))")
        }
        return result.processed
    }

    /// Health's event count.
    func eventCount() throws -> UInt64 { try client.health().get().events }

    static func connect(_ address: String) throws -> Client {
        guard let parsed = SocketAddress(parsing: address) else { throw TestFailure("bad address \(address)") }
        return try Client(address: parsed)
    }

    /// A valid create for the demo catalog.
    func validCreate(amount: Double? = 25, reference: String? = nil) -> CreateAchievement {
        var command = CreateAchievement()
        command.token = token
        command.accountsReceivableIdentifier = Identifier(number: "AR-1001")
        command.classificationIdentifier = Identifier(name: "Purchase")
        command.performedByUnitIdentifier = Identifier(alternativeCode: "U-COUNTER")
        command.performedOn = 1_767_225_600_000
        command.amount = amount
        command.externalSystemReferenceNumber = reference
        return command
    }

    /// A valid create changed by `adjust`.
    func create(_ adjust: (inout CreateAchievement) -> Void) -> CreateAchievement {
        var command = validCreate()
        adjust(&command)
        return command
    }
}

/// Expects `result` to fail with `status` and `code`; returns the error for further checks.
@discardableResult
func expectFailure<T>(_ result: Result<T, ClientError>, _ status: StatusCode, _ code: String,
                      sourceLocation: SourceLocation = #_sourceLocation) -> ClientError? {
    switch result {
    case .success:
        Issue.record("expected \(status) \(code), got OK", sourceLocation: sourceLocation)
        return nil
    case .failure(let error):
        #expect(error.status == status && error.code == code, "got \(error)", sourceLocation: sourceLocation)
        return error
    }
}

/// A fresh Unix socket path under /tmp (short enough for `sun_path`).
func temporarySocketPath() -> String {
    "/tmp/ae-\(UUID().uuidString.prefix(8)).sock"
}

/// The `st_mode` of `path`, nil when it does not exist.
func fileMode(_ path: String) -> mode_t? {
    var info = stat()
    return stat(path, &info) == 0 ? info.st_mode : nil
}

/// Runs `body(i)` for i in 0..<count, each on its own thread, all released at once; waits for all.
func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    let gate = DispatchSemaphore(value: 0)
    let group = DispatchGroup()
    for i in 0..<count {
        group.enter()
        let thread = Thread {
            gate.wait()
            body(i)
            group.leave()
        }
        thread.start()
    }
    for _ in 0..<count { gate.signal() }
    group.wait()
}

/// A blocking raw socket for byte-level tests.
struct RawConnection {
    let fd: FileDescriptor

    /// Connects; reads fail (instead of hanging) after `timeout` seconds without data.
    init(_ address: String, timeout: Int = 10) throws {
        guard let parsed = SocketAddress(parsing: address) else { throw TestFailure("bad address") }
        fd = try Socket.connect(to: parsed)
        var limit = timeval(tv_sec: timeout, tv_usec: 0)
        _ = setsockopt(fd.rawValue, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    }

    func send(_ bytes: [UInt8]) throws { try fd.writeAll(bytes) }

    /// Reads one whole frame (header + payload); nil at end of stream.
    func readFrame() throws -> (FrameHeader, [UInt8])? {
        guard let head = try readExactly(16) else { return nil }
        let (header, _) = head.withUnsafeBytes { FrameHeader.read($0, at: 0) }
        guard let header else { throw TestFailure("bad header from server") }
        guard let payload = try readExactly(Int(header.payloadLength)) else { return nil }
        return (header, payload)
    }

    /// True when the server closed the connection (read returns 0).
    func isClosedByPeer() throws -> Bool {
        var byte = [UInt8](repeating: 0, count: 1)
        return try byte.withUnsafeMutableBytes { try fd.read(into: $0) } == 0
    }

    private func readExactly(_ count: Int) throws -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            let n = try bytes.withUnsafeMutableBytes { try fd.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[got...])) }
            if n == 0 { return nil }
            got += n
        }
        return bytes
    }

    func close() { fd.close() }
}

/// The bytes of one request frame.
func requestFrame(method: UInt16, callID: UInt32, version: UInt8 = 1, kind: UInt8 = 1, extra: UInt32 = 0, payload: [UInt8] = []) -> [UInt8] {
    var out: [UInt8] = []
    FrameHeader(payloadLength: UInt32(payload.count), version: version, kind: FrameKind(rawValue: kind), code: method, callID: callID, extra: extra).write(to: &out)
    return out + payload
}

/// The `Error` payload of an answer.
func errorPayload(_ bytes: [UInt8]) throws -> ErrorPayload {
    try bytes.withUnsafeBytes { try ErrorPayload(payload: $0) }
}
