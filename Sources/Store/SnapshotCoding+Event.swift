import Domain

/// The binary form of one event inside a snapshot: fixed fields, indexes into the object
/// and set tables, and the few strings only this event has.
enum EventBinary {
    private static let hasAmount: UInt8 = 1
    private static let hasSystem: UInt8 = 2
    private static let hasReference: UInt8 = 4
    private static let hasExtras: UInt8 = 8

    /// Appends the event at `event`, its set named by `setIndex` and its objects by `table`.
    ///
    /// The event is read in place, field by field: a copy of the whole event retained each of its
    /// objects, which the event loops are retaining at the same time on the other core.
    static func write(_ event: UnsafePointer<CustomerEvent>, table: ObjectTable, to w: inout ByteWriter, setIndex: UInt32) {
        w.u64(event.pointee.id.high)
        w.u64(event.pointee.id.low)
        w.u64(event.pointee.number)
        w.u8(event.pointee.lifeCycleState.rawValue)
        w.i64(event.pointee.performedOn)
        var flags: UInt8 = 0
        if event.pointee.amount != nil { flags |= hasAmount }
        if event.pointee.externalSystem != nil { flags |= hasSystem }
        if event.pointee.externalSystemReferenceNumber != nil { flags |= hasReference }
        if event.pointee.extras != nil { flags |= hasExtras }
        w.u8(flags)
        if let amount = event.pointee.amount { w.f64(amount) }
        if let system = event.pointee.externalSystem { w.string(system) }
        if let reference = event.pointee.externalSystemReferenceNumber { w.string(reference) }
        w.i64(event.pointee.logInformation.createdDate)
        w.i64(event.pointee.logInformation.updatedDate)
        w.u32(table.known(event.pointee.logInformation.createdByUser))
        w.u32(table.known(event.pointee.logInformation.updatedByUser))
        w.u32(setIndex)
        if let extras = event.pointee.extras { writeExtras(extras, to: &w) }
        w.u32(UInt32(event.pointee.awardRewardTransactions.count))
        event.pointee.awardRewardTransactions.withUnsafeBufferPointer { awards in
            for index in awards.indices {
                let a = awards.baseAddress! + index  // safe because: index is in the buffer
                w.u64(a.pointee.id.high)
                w.u64(a.pointee.id.low)
                w.u64(a.pointee.number)
                w.u8(a.pointee.lifeCycleState.rawValue)
                w.f64(a.pointee.amount)
                w.f64(a.pointee.alternativeAmount)
                w.u8(a.pointee.expirationDate == nil ? 0 : 1)
                w.i64(a.pointee.expirationDate ?? 0)
                w.u32(table.known(a.pointee.rewardOffer))
            }
        }
    }

    /// The extras' packed bytes, length-prefixed: copied as they are, nothing decoded.
    private static func writeExtras(_ x: EventExtras, to w: inout ByteWriter) {
        x.withPackedBytes { bytes in
            w.u32(UInt32(bytes.count))
            w.bytes.append(contentsOf: bytes)
        }
    }

    /// One event, or nil when the bytes are malformed or refer outside the tables.
    /// Reads one event whose object and set indexes refer to `objects` and `sets` (a
    /// snapshot's tables, read through buffers so that no worker touches the arrays' counts).
    static func read(_ r: inout ByteReader, objects: UnsafeBufferPointer<ReferredObject>, sets: UnsafeBufferPointer<ReferredSet>) -> CustomerEvent? {
        let id = EventID(high: r.u64(), low: r.u64())
        let number = r.u64()
        guard let state = LifeCycleState(rawValue: r.u8()) else { return nil }
        let performedOn = r.i64()
        let flags = r.u8()
        let amount = flags & hasAmount != 0 ? r.f64() : nil
        let system = flags & hasSystem != 0 ? r.string() : nil
        let reference = flags & hasReference != 0 ? r.string() : nil
        let created = r.i64()
        let updated = r.i64()
        let (createdIndex, updatedIndex) = (Int(r.u32()), Int(r.u32()))
        guard createdIndex < objects.count, updatedIndex < objects.count else { return nil }
        let setIndex = Int(r.u32())
        guard setIndex < sets.count else { return nil }
        var extras: EventExtras?
        if flags & hasExtras != 0 {
            guard let packed = readExtras(&r) else { return nil }
            extras = packed
        }
        let awardCount = Int(r.u32())
        guard awardCount <= 4096 else { return nil }
        var awards: [AwardTransaction] = []
        awards.reserveCapacity(awardCount)
        for _ in 0..<awardCount {
            let awardID = EventID(high: r.u64(), low: r.u64())
            let awardNumber = r.u64()
            guard let awardState = LifeCycleState(rawValue: r.u8()) else { return nil }
            let (value, alternative) = (r.f64(), r.f64())
            let hasExpiration = r.u8() != 0
            let expiration = r.i64()
            let offer = Int(r.u32())
            guard offer < objects.count else { return nil }
            awards.append(AwardTransaction(id: awardID, number: awardNumber, lifeCycleState: awardState, amount: value,
                                           alternativeAmount: alternative, expirationDate: hasExpiration ? expiration : nil, rewardOffer: objects[offer]))
        }
        guard !r.failed else { return nil }
        return CustomerEvent(
            id: id, number: number, lifeCycleState: state, performedOn: performedOn, amount: amount, externalSystem: system,
            externalSystemReferenceNumber: reference,
            logInformation: LogInformation(createdDate: created, updatedDate: updated, createdByUser: objects[createdIndex],
                                           updatedByUser: objects[updatedIndex]),
            awardRewardTransactions: awards, referred: sets[setIndex], extras: extras)
    }

    private static func readExtras(_ r: inout ByteReader) -> EventExtras? {
        let count = Int(r.u32())
        guard !r.failed, count > 0, r.bytes.count - r.offset >= count else { return nil }
        defer { r.offset += count }
        return EventExtras.make(packed: UnsafeRawBufferPointer(rebasing: r.bytes[r.offset..<(r.offset + count)]))
    }
}
