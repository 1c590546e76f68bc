import CatalogFile
import Client
import Codec
import Domain
import Foundation
import Posix
import TestSupport
import Wire

/// A started server plus a connected client and a token for the demo user.
struct Harness {
    let server: ServerProcess
    let client: Client
    let token: String

    /// Starts a server with the demo catalog written to a temporary file.
    static func start(_ arguments: [String] = [], dataDir: String? = nil) throws -> Harness {
        let catalogPath = TemporaryDirectory.make(prefix: "catalog") + "/catalog.json"
        try DemoCatalog.json.write(toFile: catalogPath, atomically: true, encoding: .utf8)
        let server = try ServerProcess(arguments: ["--catalog", catalogPath] + arguments, dataDir: dataDir)
        let client = try connect(server.address)
        let token = try client.login(LoginCommand(username: "demo", password: "demo-password", organisation: "DEMO")).get().token
        return Harness(server: server, client: client, token: token)
    }

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
}

/// A blocking raw socket for byte-level tests.
struct RawConnection {
    let fd: FileDescriptor

    init(_ address: String) throws {
        guard let parsed = SocketAddress(parsing: address) else { throw TestFailure("bad address") }
        fd = try Socket.connect(to: parsed)
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
