/// A response status (gRPC numbering 0–16), an open set so clients survive unknown codes.
public struct StatusCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let ok = StatusCode(rawValue: 0)
    public static let cancelled = StatusCode(rawValue: 1)
    public static let unknown = StatusCode(rawValue: 2)
    public static let invalidArgument = StatusCode(rawValue: 3)
    public static let deadlineExceeded = StatusCode(rawValue: 4)
    public static let notFound = StatusCode(rawValue: 5)
    public static let alreadyExists = StatusCode(rawValue: 6)
    public static let permissionDenied = StatusCode(rawValue: 7)
    public static let resourceExhausted = StatusCode(rawValue: 8)
    public static let failedPrecondition = StatusCode(rawValue: 9)
    public static let aborted = StatusCode(rawValue: 10)
    public static let outOfRange = StatusCode(rawValue: 11)
    public static let unimplemented = StatusCode(rawValue: 12)
    public static let internalError = StatusCode(rawValue: 13)
    public static let unavailable = StatusCode(rawValue: 14)
    public static let dataLoss = StatusCode(rawValue: 15)
    public static let unauthenticated = StatusCode(rawValue: 16)

    private static let names = [
        "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
        "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
        "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
    ]

    /// The gRPC name, e.g. `INVALID_ARGUMENT`; `STATUS_<n>` for unknown codes.
    public var description: String {
        Int(rawValue) < Self.names.count ? Self.names[Int(rawValue)] : "STATUS_\(rawValue)"
    }
}

/// Method numbers of wire contract v1, stable forever (also `enum Method` in the .proto).
public struct MethodID: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let login = MethodID(rawValue: 1)
    public static let createAchievement = MethodID(rawValue: 2)
    public static let getCustomerEvent = MethodID(rawValue: 3)
    public static let listCustomerEvents = MethodID(rawValue: 4)
    public static let cancelCustomerEvent = MethodID(rawValue: 5)
    public static let health = MethodID(rawValue: 6)
    public static let createAchievementsBulk = MethodID(rawValue: 7)

    /// The method's name, e.g. `CreateAchievement`.
    public var description: String {
        switch rawValue {
        case 1: "Login"
        case 2: "CreateAchievement"
        case 3: "GetCustomerEvent"
        case 4: "ListCustomerEvents"
        case 5: "CancelCustomerEvent"
        case 6: "Health"
        case 7: "CreateAchievementsBulk"
        default: "Method\(rawValue)"
        }
    }
}
