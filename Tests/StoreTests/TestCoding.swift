import Domain
import Store

/// A tiny record coding for store tests: the fields the tests check, as text lines.
struct TestCoding: EventRecordCoding {
    static let classification = ReferredObject(id: "05000000000000000000000000000001", name: "Purchase", alternativeCode: "PURCHASE")
    static let account = ReferredObject(id: "03000000000000000000000000000001", number: "AR-1001", name: "Alice", lifeCycleState: "ACTIVE")
    static let user = ReferredObject(id: "01000000000000000000000000000001", name: "demo")

    func encode(_ change: StoreChange, appendingTo out: inout [UInt8]) {
        switch change {
        case .created(let e):
            let text = "C|\(e.id)|\(e.number)|\(e.performedOn)|\(e.externalSystem ?? "")|\(e.externalSystemReferenceNumber ?? "")|\(e.amount.map { String($0) } ?? "")"
            out.append(contentsOf: Array(text.utf8))
        case .cancelled(let id, let at, _):
            out.append(contentsOf: Array("X|\(id)|\(at)".utf8))
        }
    }

    func decode(_ body: UnsafeRawBufferPointer) -> StoreChange? {
        let parts = String(decoding: body, as: UTF8.self).split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        if parts.count == 3, parts[0] == "X", let id = EventID(hex: parts[1]), let at = Int64(parts[2]) {
            return .cancelled(id: id, at: at, by: Self.user)
        }
        guard parts.count == 7, parts[0] == "C", let id = EventID(hex: parts[1]), let number = UInt64(parts[2]), let on = Int64(parts[3]) else { return nil }
        var event = Self.event(performedOn: on, system: parts[4].isEmpty ? nil : parts[4], reference: parts[5].isEmpty ? nil : parts[5], amount: Double(parts[6]))
        event.id = id
        event.number = number
        return .created(event)
    }

    /// A draft event (id and number assigned by the store).
    static func event(performedOn: Int64 = 1_000, system: String? = nil, reference: String? = nil, amount: Double? = nil) -> CustomerEvent {
        CustomerEvent(
            id: EventID(high: 0, low: 0), number: 0, performedOn: performedOn, amount: amount, externalSystem: system,
            externalSystemReferenceNumber: reference, classification: classification, accountsReceivable: account,
            logInformation: LogInformation(createdDate: 1, updatedDate: 1, createdByUser: user, updatedByUser: user))
    }
}
