import Auth
import Codec
import Domain
import Reactor
import Store
import Wire

/// The creates one event loop prepared in its current round, stored together at the round's
/// end: one store lock hold, one log ticket and one waiter for all of them (the log write
/// happens then too, so a round's creates share it, as Redis writes its AOF before replying).
///
/// Lives in its loop's `LoopLocal`; touched only on its loop.
final class CreateRound {
    private var drafts: [CustomerEvent] = []
    private var calls: [(call: CallContext, mask: FieldMask)] = []

    /// Adds a prepared create to the round of the call's loop; the first one of a round
    /// schedules the store step. Call on the loop.
    static func gather(_ draft: consuming CustomerEvent, call: CallContext, mask: FieldMask, into store: EventStore) {
        let loop = call.connection.loop
        let round = LoopLocal.of(loop).round
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
        store.create(batch: drafts) { outcome in
            // Each answer is encoded straight into its connection's output (no reply closure,
            // no copy of the event kept).
            let answer: @Sendable () -> Void = {
                let cache = LoopLocal.of(loop).referred
                for (index, entry) in calls.enumerated() {
                    outcome.answer(index) { event in
                        entry.call.connection.completeInLoop(entry.call, .ok, event) { event, output in
                            event.encode(fields: entry.mask, appendingTo: &output, referred: cache)
                        }
                    } failed: { error in
                        entry.call.connection.completeInLoop(entry.call, Reply.error(error))
                    }
                }
            }
            if loop.inLoop { answer() } else { loop.execute(answer) }
        }
    }
}

/// What one event loop keeps for itself, in `EventLoop.local`; touched only on that loop.
final class LoopLocal {
    /// The creates gathered in the loop's current round.
    let round = CreateRound()
    /// Packed referred objects of the answers the loop writes.
    let referred = ReferredAnswerCache()
    /// Sessions of the tokens the loop has checked.
    let sessions = SessionCache()
    /// Referred sets of the creates the loop drafts, made at the first (see `referredSets(_:)`).
    private var sets: ReferredSetCache?

    /// The loop's cache of referred sets, sharing `store`'s instances.
    func referredSets(_ store: EventStore) -> ReferredSetCache {
        if let sets { return sets }
        let made = ReferredSetCache(intern: { store.adopt($0) })
        sets = made
        return made
    }

    /// The state of `loop`, made at its first use. Call on the loop.
    static func of(_ loop: EventLoop) -> LoopLocal {
        if let local = loop.local { return unsafeDowncast(local, to: LoopLocal.self) }
        let local = LoopLocal()
        loop.local = local
        return local
    }
}
