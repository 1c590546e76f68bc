import Auth
import Codec
import Dispatch
import Domain
import Reactor
import Store
import Wire

extension Dispatcher {
    /// Most items in one bulk call.
    static let maxBulkItems = 1000

    /// CreateAchievementsBulk: each item validated alone; the accepted ones share one group commit.
    func bulk(_ payload: [UInt8], call: CallContext) throws -> Reply? {
        let command = try payload.withUnsafeBytes { try CreateBulk(payload: $0) }
        let now = clock()
        let session = try authenticator.tokens.check(command.token, now: now, cache: LoopLocal.of(call.connection.loop).sessions)
        guard command.items.count <= Self.maxBulkItems else {
            throw DomainError(.invalidArgument, "BULK_TOO_LARGE", "A bulk call takes at most \(Self.maxBulkItems) items; got \(command.items.count).",
                              violations: [Violation(field: "items", description: "At most \(Self.maxBulkItems) items.")])
        }
        let context = CreateContext(now: now, user: session.user, verifyPassCode: { SecretHasher.verify($0, hash: $1) })
        let run: @Sendable () -> Void = { self.runBulk(command.items, unreadable: command.unreadable, context: context, call: call) }
        if command.items.contains(where: AchievementRules.needsPassCodeCheck) {
            let connection = call.connection
            let admitted = hasher.submit {
                guard connection.loop.sync({ connection.begin(call) }) else { return }
                run()
            }
            return admitted ? nil : .error(.resourceExhausted, "OVERLOADED", "Too many pass code checks in progress; retry shortly.")
        }
        run()
        return nil
    }

    private func runBulk(_ items: [CreateAchievement], unreadable: [Int: DomainError], context: CreateContext, call: CallContext) {
        var outcomes: [BulkOutcome] = []
        var drafts: [CustomerEvent] = []
        var seen: Set<String> = []
        for (index, item) in items.enumerated() {
            let key = item.requestUniqueIdentifier ?? ""
            if !key.isEmpty && !seen.insert(key).inserted {
                outcomes.append(.failed(key, DomainError(.invalidArgument, "DUPLICATE_REQUEST_IDENTIFIER", "request_unique_identifier repeats an earlier item.",
                                                         violations: [Violation(field: "items[\(index)].request_unique_identifier", description: "Repeated.")])))
                continue
            }
            if let error = unreadable[index] {
                outcomes.append(.failed(key, error))
                continue
            }
            do throws(DomainError) {
                drafts.append(try AchievementRules.draft(item, catalog: catalog, context: context))
                outcomes.append(.draft(key, drafts.count - 1, index))
            } catch {
                outcomes.append(.failed(key, Self.prefixed(error, index)))
            }
        }
        guard Self.answerBound(outcomes, drafts: drafts) <= maxPayloadBytes else {
            call.complete(.answerTooLarge(limit: maxPayloadBytes))  // nothing stored
            return
        }
        let decided = outcomes
        store.create(batch: drafts) { results in  // a BatchOutcome, by draft position
            var answer = BulkResult()
            for outcome in decided {
                switch outcome {
                case .failed(let key, let error): answer.unprocessed.append(Self.unprocessed(key, error))
                case .draft(let key, let position, let index):
                    results.answer(position) { event in
                        answer.processed.append(.init(requestUniqueIdentifier: key, id: event.id.description, number: String(event.number)))
                    } failed: { error in  // EXTERNAL_REFERENCE_CONFLICT
                        answer.unprocessed.append(Self.unprocessed(key, Self.prefixed(error, index)))
                    }
                }
            }
            let reply = answer
            call.complete(.ok { reply.encode(appendingTo: &$0) })
        }
    }

    /// A created item's entry without its key, at the longest id and number.
    private static let createdEntryBytes = BulkResult.Processed(
        requestUniqueIdentifier: "", id: String(repeating: "f", count: 32), number: String(UInt64.max)).encodedSize

    /// An EXTERNAL_REFERENCE_CONFLICT entry without its key, at the longest event number, by
    /// the digit count of the item's index (all its size depends on; indexes < `maxBulkItems`).
    private static let conflictEntryBytes: [Int] = [0, 0, 10, 100].map {
        unprocessed("", prefixed(.externalReferenceConflict(existing: .max), $0)).encodedSize
    }

    /// The most bytes the answer to `outcomes` can take: the refused items as they will be
    /// answered, each accepted one at its longest entry: created with the longest number, or,
    /// when it has an external reference, EXTERNAL_REFERENCE_CONFLICT if that is longer.
    private static func answerBound(_ outcomes: [BulkOutcome], drafts: [CustomerEvent]) -> Int {
        var bound = 0
        for outcome in outcomes {
            switch outcome {
            case .failed(let key, let error): bound += unprocessed(key, error).encodedSize
            case .draft(let key, let position, let index):
                let conflicts = drafts[position].externalSystemReferenceNumber != nil
                let longest = conflicts ? max(createdEntryBytes, conflictEntryBytes[String(index).utf8.count]) : createdEntryBytes
                bound += longest + 2 + (key.isEmpty ? 0 : 3 + key.utf8.count)  // the key: tag, length (< 2^14), bytes; + 2: the entry's length growing with it
            }
        }
        return bound
    }

    private enum BulkOutcome {
        case failed(String, DomainError)
        /// Key, position among the drafts, index among the items.
        case draft(String, Int, Int)
    }

    private static func unprocessed(_ key: String, _ error: DomainError) -> BulkResult.Unprocessed {
        .init(requestUniqueIdentifier: key, errorCode: error.code, errorDescription: error.message,
              violations: error.violations, status: UInt32(StatusCode(error.kind).rawValue))
    }

    private static func prefixed(_ error: DomainError, _ index: Int) -> DomainError {
        var copy = error
        copy.violations = error.violations.map { Violation(field: "items[\(index)].\($0.field)", description: $0.description) }
        return copy
    }
}
