import Domain
import Store

/// A tiny record coding for store tests: the fields the tests check, as text lines. Events
/// name their set and users by log table number, as the real coding does; the definitions
/// carry the objects' ids, names and numbers.
struct TestCoding: EventRecordCoding {
    static let classification = ReferredObject(id: "05000000000000000000000000000001", name: "Purchase", alternativeCode: "PURCHASE")
    static let account = ReferredObject(id: "03000000000000000000000000000001", number: "AR-1001", name: "Alice", lifeCycleState: "ACTIVE")
    static let user = ReferredObject(id: "01000000000000000000000000000001", name: "demo")

    func encodeCancelled(id: EventID, at: Milliseconds, by: ReferredObject, appendingTo out: inout [UInt8]) {
        out.append(contentsOf: Array("X|\(id)|\(at)".utf8))
    }

    /// A created event with its objects in full (here: the fixed ones), as logs before log
    /// tables held it; `decode` still reads it.
    static func encodeFull(_ e: CustomerEvent, appendingTo out: inout [UInt8]) {
        out.append(contentsOf: Array("F|\(fields(e))".utf8))
    }

    func encodeCreated(_ e: CustomerEvent, references r: LogReferences, offers: ArraySlice<UInt32>, appendingTo out: inout [UInt8]) {
        out.append(contentsOf: Array("C|\(Self.fields(e))|\(r.set)|\(r.createdBy)|\(r.updatedBy)".utf8))
    }

    func encode(_ definition: LogDefinition, appendingTo out: inout [UInt8]) {
        switch definition {
        case .object(let number, let o): out.append(contentsOf: Array("O|\(number)|\(o.id)|\(o.number)|\(o.name)|\(o.alternativeCode)|\(o.lifeCycleState)".utf8))
        case .set(let number, let members): out.append(contentsOf: Array("S|\(number)|\(members.map { $0.map(String.init) ?? "" }.joined(separator: ","))".utf8))
        }
    }

    private static func fields(_ e: CustomerEvent) -> String {
        "\(e.id)|\(e.number)|\(e.performedOn)|\(e.externalSystem ?? "")|\(e.externalSystemReferenceNumber ?? "")|\(e.amount.map { String($0) } ?? "")"
    }

    func decode(_ body: UnsafeRawBufferPointer, objects: UnsafeBufferPointer<ReferredObject?>, sets: UnsafeBufferPointer<ReferredSet?>) -> StoreChange? {
        let parts = String(decoding: body, as: UTF8.self).split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        if parts.count == 3, parts[0] == "X", let id = EventID(hex: parts[1]), let at = Int64(parts[2]) {
            return .cancelled(id: id, at: at, by: Self.user)
        }
        guard parts.count >= 7, parts[0] == "C" || parts[0] == "F", let id = EventID(hex: parts[1]), let number = UInt64(parts[2]),
            let on = Int64(parts[3])
        else { return nil }
        var event = Self.event(performedOn: on, system: parts[4].isEmpty ? nil : parts[4], reference: parts[5].isEmpty ? nil : parts[5], amount: Double(parts[6]))
        event.id = id
        event.number = number
        if parts[0] == "C" {
            guard parts.count == 10, let set = Int(parts[7]), set < sets.count, let referred = sets[set], let created = Int(parts[8]),
                created < objects.count, let createdBy = objects[created], let updated = Int(parts[9]), updated < objects.count,
                let updatedBy = objects[updated]
            else { return nil }
            event.referred = referred
            event.logInformation.createdByUser = createdBy
            event.logInformation.updatedByUser = updatedBy
        }
        return .created(event)
    }

    func decodeDefinition(_ body: UnsafeRawBufferPointer) -> LogDefinition? {
        let parts = String(decoding: body, as: UTF8.self).split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        if parts.count == 7, parts[0] == "O", let number = UInt32(parts[1]) {
            return .object(number: number, ReferredObject(id: parts[2], number: parts[3], name: parts[4], alternativeCode: parts[5], lifeCycleState: parts[6]))
        }
        guard parts.count == 3, parts[0] == "S", let number = UInt32(parts[1]) else { return nil }
        let members = parts[2].split(separator: ",", omittingEmptySubsequences: false).map { UInt32($0) }
        return .set(number: number, members: members)
    }

    /// A draft event (id and number assigned by the store).
    static func event(performedOn: Int64 = 1_000, system: String? = nil, reference: String? = nil, amount: Double? = nil) -> CustomerEvent {
        CustomerEvent(
            id: EventID(high: 0, low: 0), number: 0, performedOn: performedOn, amount: amount, externalSystem: system,
            externalSystemReferenceNumber: reference, classification: classification, accountsReceivable: account,
            logInformation: LogInformation(createdDate: 1, updatedDate: 1, createdByUser: user, updatedByUser: user))
    }
}
