import Domain
import Reactor
import Store

/// The creates one event loop prepared in its current round, stored together at the round's
/// end: one store lock hold, one log ticket and one waiter for all of them (the log write
/// happens then too, so a round's creates share it, as Redis writes its AOF before replying).
///
/// Lives in `EventLoop.local`; touched only on its loop.
final class CreateRound {
    private var drafts: [CustomerEvent] = []
    private var calls: [(call: CallContext, mask: FieldMask)] = []

    /// Adds a prepared create to the round of the call's loop; the first one of a round
    /// schedules the store step. Call on the loop.
    static func gather(_ draft: CustomerEvent, call: CallContext, mask: FieldMask, into store: EventStore) {
        let loop = call.connection.loop
        let round: CreateRound
        if let existing = loop.local as? CreateRound {
            round = existing
        } else {
            round = CreateRound()
            loop.local = round
        }
        if round.drafts.isEmpty { loop.atRoundEnd { round.store(in: store, loop: loop) } }
        round.drafts.append(draft)
        round.calls.append((call, mask))
    }

    /// Stores the round's drafts as one batch; each call is answered on the loop once all are durable.
    private func store(in store: EventStore, loop: EventLoop) {
        let drafts = self.drafts, calls = self.calls
        self.drafts = []
        self.calls = []
        self.drafts.reserveCapacity(drafts.count)
        self.calls.reserveCapacity(calls.count)
        store.create(batch: drafts) { results in
            let answer: @Sendable () -> Void = {
                for (entry, result) in zip(calls, results) { entry.call.complete(Dispatcher.eventReply(result, entry.mask)) }
            }
            if loop.inLoop { answer() } else { loop.execute(answer) }
        }
    }
}
