#if ENABLE_MOCKING
import Synchronization

/// Fault injection for tests (debug builds only): fails or records file writes and syncs.
///
/// Tests install hooks to make an fdatasync fail, or to learn which bytes of each descriptor
/// were synced, so that a power loss can be simulated by cutting files back to them.
public enum PosixMocking {
    /// What a hook decides for one call.
    public enum Verdict: Sendable {
        case proceed
        case fail(Errno)
    }

    /// The installed hooks.
    public struct Hooks: Sendable {
        /// Called before each write(2) with the descriptor and byte count.
        public var beforeWrite: (@Sendable (FileDescriptor, Int) -> Verdict)?
        /// Called after each positioned write (pwrite) of data with the offset where it ended
        /// (not after `writeZeros`).
        public var afterWrite: (@Sendable (FileDescriptor, Int64) -> Void)?
        /// Called before each fsync/fdatasync.
        public var beforeSync: (@Sendable (FileDescriptor) -> Verdict)?
        /// Called after each successful fsync/fdatasync.
        public var afterSync: (@Sendable (FileDescriptor) -> Void)?

        public init() {}
    }

    private static let installed = Locked(Hooks())

    /// Replaces the hooks (pass `Hooks()` to remove them).
    public static func install(_ hooks: Hooks) {
        installed.withLock { $0 = hooks }
    }

    static var hooks: Hooks { installed.withLock { $0 } }
}
#endif
