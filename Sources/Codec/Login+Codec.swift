// LoginRequest ⇄ `LoginCommand`, LoginResponse ⇄ `LoginResult` (method 1).
internal import AchievementProtoC
public import Domain

extension LoginCommand {
    /// Decodes a LoginRequest payload; called by the server on the connection's queue.
    ///
    /// Empty strings become nil; an absent `unit` nil, an empty one an `Identifier` with all nil.
    /// - Throws: `CodecError.malformedPayload`, or `.invalidString` naming the field.
    public init(payload: UnsafeRawBufferPointer) throws(CodecError) {
        self = try withUnpacked(payload, achievement__v1__login_request__unpack) { m throws(CodecError) in
            let path = FieldPath.root
            return try LoginCommand(
                username: path.string(m.username, "username"),
                password: path.string(m.password, "password"),
                organisation: path.string(m.organisation, "organisation"),
                unit: path.child("unit").unit(m.unit),
                webAPIKey: path.string(m.web_api_key, "web_api_key"),
                release: path.string(m.release, "release")
            )
        }
    }

    /// Appends this command as a LoginRequest payload; called by the client.
    public func encode(appendingTo out: inout [UInt8]) {
        var bytes = PackArena.bytes(for: Achievement__V1__LoginRequest.self) + (unit?.arenaBytes ?? 0)
        for string in [username, password, organisation, webAPIKey, release] {
            bytes += PackArena.bytes(forString: string)
        }
        PackArena.with(capacity: bytes) { arena in
            let m = arena.message(achievement__v1__login_request__init)
            (m.pointee.username, m.pointee.password) = (arena.optional(username), arena.optional(password))
            m.pointee.organisation = arena.optional(organisation)
            m.pointee.unit = arena.unit(unit)
            (m.pointee.web_api_key, m.pointee.release) = (arena.optional(webAPIKey), arena.optional(release))
            appendPacked(m, to: &out)
        }
    }
}

extension LoginResult {
    /// Decodes a LoginResponse payload; called by the client.
    /// - Throws: `CodecError.malformedPayload`, or `.invalidString` for `token`.
    public init(payload: UnsafeRawBufferPointer) throws(CodecError) {
        self = try withUnpacked(payload, achievement__v1__login_response__unpack) { m throws(CodecError) in
            try LoginResult(token: FieldPath.root.text(m.token, "token"), expiresAt: m.expires_at)
        }
    }

    /// Appends this result as a LoginResponse payload; called by the server.
    public func encode(appendingTo out: inout [UInt8]) {
        PackArena.with(
            capacity: PackArena.bytes(for: Achievement__V1__LoginResponse.self) + PackArena.bytes(forString: token)
        ) { arena in
            let m = arena.message(achievement__v1__login_response__init)
            (m.pointee.token, m.pointee.expires_at) = (arena.optional(token), expiresAt)
            appendPacked(m, to: &out)
        }
    }
}
