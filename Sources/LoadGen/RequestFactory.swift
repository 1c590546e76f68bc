import Codec
import Domain
import Wire

/// Draws reproducible requests from the demo catalog (`--seed`), pre-encoded.
public struct RequestFactory: Sendable {
    private var creates: [[UInt8]] = []
    private var commands: [CreateAchievement] = []
    private var bulks: [[UInt8]] = []
    /// With references: where the 16 hex digits of each create's reference serial start.
    private var serialOffsets: [Int] = []
    private let token: String
    private let trackNumbers: Bool

    /// 512 creates drawn from `seed`, each carrying `token`; `trackNumbers` asks their answers
    /// for `number` only; with `references`, each carries its own external reference.
    public init(token: String, seed: UInt64, trackNumbers: Bool, references: Bool = false) {
        self.token = token
        self.trackNumbers = trackNumbers
        var random = SplitMix(seed: seed)
        let prefix = Array("load-\(Self.hex(seed))-".utf8)
        let accounts = ["AR-1001", "AR-1002"]
        let classifications = ["Purchase", "Visit"]
        let units = ["U-COUNTER", "U-GATE12"]
        for i in 0..<512 {
            var command = CreateAchievement()
            command.token = token
            command.accountsReceivableIdentifier = Identifier(number: accounts[Int(random.next() % 2)])
            command.classificationIdentifier = Identifier(name: classifications[Int(random.next() % 2)])
            command.performedByUnitIdentifier = Identifier(alternativeCode: units[Int(random.next() % 2)])
            command.performedOn = 1_767_225_600_000 + Int64(random.next() % 31_536_000_000)
            command.amount = Double(random.next() % 10_000) / 100
            command.description = "load test event \(i)"
            command.udfStrings(set: "seed-\(seed)")
            if trackNumbers { command.fieldsSet = ["number"] }
            if references { command.externalSystemReferenceNumber = String(decoding: prefix, as: UTF8.self) + Self.hex(0) }
            var payload: [UInt8] = []
            command.encode(appendingTo: &payload)
            if references {
                // The serial's digits follow the only occurrence of the prefix (written once, as is).
                guard let at = (0...(payload.count - prefix.count)).first(where: { payload[$0..<($0 + prefix.count)].elementsEqual(prefix) })
                else { preconditionFailure("the encoded create lost its reference") }  // safe because: set just above
                serialOffsets.append(at + prefix.count)
            }
            creates.append(payload)
            commands.append(command)
        }
    }

    /// Pre-encodes `count` bulk payloads of `size` items (fields_set ["id"] keeps answers small).
    mutating func prepareBulks(size: Int, count: Int = 4) {
        for b in 0..<count {
            var items: [CreateAchievement] = []
            for i in 0..<size {
                var item = commands[(b * size + i) % commands.count]
                item.token = nil
                item.fieldsSet = []
                item.requestUniqueIdentifier = "r\(i)"
                items.append(item)
            }
            var payload: [UInt8] = []
            CreateBulk(token: token, items: items).encode(appendingTo: &payload)
            bulks.append(payload)
        }
    }

    /// The bulk payload for call `index`.
    func bulk(_ index: Int) -> [UInt8] { bulks[index % bulks.count] }

    /// The create payload for call `index`; with references, `serial` (unique in the run) is its
    /// reference's last 16 hex digits.
    public func create(_ index: Int, serial: UInt64) -> [UInt8] {
        var payload = creates[index % creates.count]
        guard !serialOffsets.isEmpty else { return payload }
        let start = serialOffsets[index % creates.count]
        let (first, second) = hexDigitWords(serial)
        payload.withUnsafeMutableBytes { raw in
            raw.storeBytes(of: first, toByteOffset: start, as: UInt64.self)
            raw.storeBytes(of: second, toByteOffset: start + 8, as: UInt64.self)
        }
        return payload
    }

    /// `value` as 16 lowercase hex digits.
    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// A show by number.
    func show(number: UInt64) -> [UInt8] {
        var payload: [UInt8] = []
        EventLookup(token: token, customerEventIdentifier: CustomerEventIdentifier(number: String(number)), fieldsSet: [])
            .encodeGet(appendingTo: &payload)
        return payload
    }

    /// A cancel by number.
    func cancel(number: UInt64) -> [UInt8] {
        var payload: [UInt8] = []
        EventLookup(token: token, customerEventIdentifier: CustomerEventIdentifier(number: String(number)), fieldsSet: ["number"])
            .encodeCancel(appendingTo: &payload)
        return payload
    }

    /// A Health request.
    func health() -> [UInt8] {
        var payload: [UInt8] = []
        encodeHealthRequest(appendingTo: &payload)
        return payload
    }

    /// A list of one account's first 10 events.
    func list(_ index: Int) -> [UInt8] {
        var query = ListEvents()
        query.token = token
        query.accountsReceivableIdentifier = Identifier(number: index % 2 == 0 ? "AR-1001" : "AR-1002")
        query.pageSize = 10
        var payload: [UInt8] = []
        query.encode(appendingTo: &payload)
        return payload
    }

    /// The `number` of a create answered with `fields_set = ["number"]`: field 2, a string.
    static func number(inCreateAnswer payload: [UInt8]) -> UInt64? {
        guard payload.count >= 3, payload[0] == 0x12, Int(payload[1]) == payload.count - 2 else { return nil }
        var value: UInt64 = 0
        for byte in payload[2...] {
            guard byte >= 48, byte <= 57 else { return nil }
            value = value &* 10 &+ UInt64(byte - 48)
        }
        return value
    }
}

extension CreateAchievement {
    fileprivate mutating func udfStrings(set value: String) {
        userDefinedFields.strings[0] = value
    }
}

/// SplitMix64: a tiny seeded generator for reproducible draws.
struct SplitMix: Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
