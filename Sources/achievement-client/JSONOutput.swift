import Domain

/// A JSON value for printing answers (key order kept as written).
indirect enum JSON {
    case string(String)
    case number(Double)
    case integer(Int64)
    case bool(Bool)
    case null
    case array([JSON])
    case object([(String, JSON)])

    /// Pretty-printed text with two-space indents.
    func rendered(indent: String = "") -> String {
        switch self {
        case .string(let s): return Self.quote(s)
        case .number(let d): return d.isFinite ? (d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)) : "null"
        case .integer(let i): return String(i)
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        case .array(let items):
            guard !items.isEmpty else { return "[]" }
            let inner = indent + "  "
            return "[\n" + items.map { inner + $0.rendered(indent: inner) }.joined(separator: ",\n") + "\n\(indent)]"
        case .object(let fields):
            guard !fields.isEmpty else { return "{}" }
            let inner = indent + "  "
            return "{\n" + fields.map { "\(inner)\(Self.quote($0.0)): \($0.1.rendered(indent: inner))" }.joined(separator: ",\n") + "\n\(indent)}"
        }
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

/// Builds an object from optional fields, leaving absent ones out.
struct ObjectBuilder {
    var fields: [(String, JSON)] = []
    mutating func add(_ key: String, _ value: String?) { if let value { fields.append((key, .string(value))) } }
    mutating func add(_ key: String, _ value: Double?) { if let value { fields.append((key, .number(value))) } }
    mutating func add(_ key: String, _ value: Int64?) { if let value { fields.append((key, .integer(value))) } }
    mutating func add(_ key: String, _ value: Bool?) { if let value { fields.append((key, .bool(value))) } }
    mutating func add(_ key: String, _ value: JSON?) { if let value { fields.append((key, value)) } }
    var json: JSON { .object(fields) }
}

extension ReferredView {
    var json: JSON {
        var o = ObjectBuilder()
        o.add("id", id)
        o.add("number", number)
        o.add("name", name)
        o.add("code", code)
        o.add("alternative_code", alternativeCode)
        o.add("description", description)
        o.add("life_cycle_state", lifeCycleState)
        o.add("authentication_code", authenticationCode)
        o.add("identifier", identifier)
        if let c = classification {
            var inner = ObjectBuilder()
            inner.add("id", c.id)
            inner.add("name", c.name)
            inner.add("alternative_code", c.alternativeCode)
            o.add("classification", inner.json)
        }
        return o.json
    }
}

extension EventView {
    /// The event in the seed's response shape.
    var json: JSON {
        var o = ObjectBuilder()
        o.add("id", id)
        o.add("number", number)
        o.add("type", type)
        o.add("life_cycle_state", lifeCycleState?.name)
        o.add("performed_on", performedOn)
        o.add("description", description)
        o.add("process_immediately", processImmediately)
        o.add("payment_medium_identifier", paymentMediumIdentifier)
        o.add("amount", amount)
        o.add("external_system", externalSystem)
        o.add("external_system_reference_number", externalSystemReferenceNumber)
        o.add("total_awarded_amount", totalAwardedAmount)
        o.add("total_awarded_alternative_amount", totalAwardedAlternativeAmount)
        for (i, v) in udfStrings.enumerated() { o.add("udf_string_\(i + 1)", v) }
        for (i, v) in udfFloats.enumerated() { o.add("udf_float_\(i + 1)", v) }
        for (i, v) in udfDates.enumerated() { o.add("udf_date_\(i + 1)", v) }
        o.add("classification", classification?.json)
        o.add("accounts_receivable", accountsReceivable?.json)
        o.add("product", product?.json)
        o.add("payment_medium_type", paymentMediumType?.json)
        o.add("payment_medium_brand", paymentMediumBrand?.json)
        o.add("performed_by_unit", performedByUnit?.json)
        o.add("performed_by_business_unit", performedByBusinessUnit?.json)
        o.add("performed_by_tap", performedByTap?.json)
        o.add("authorized_by_access_token", authorizedByAccessToken?.json)
        if let log = logInformation {
            var l = ObjectBuilder()
            l.add("created_date", log.createdDate)
            l.add("updated_date", log.updatedDate)
            l.add("created_by_user", log.createdByUser.map { JSON.object([("id", .string($0.id ?? "")), ("username", .string($0.name ?? ""))]) })
            l.add("updated_by_user", log.updatedByUser.map { JSON.object([("id", .string($0.id ?? "")), ("username", .string($0.name ?? ""))]) })
            o.add("log_information", l.json)
        }
        if let awards = awardRewardTransactionsSet {
            o.add("award_reward_transactions_set", JSON.array(awards.map { a in
                var t = ObjectBuilder()
                t.add("id", a.id)
                t.add("number", a.number)
                t.add("life_cycle_state", a.lifeCycleState?.name)
                t.add("amount", a.amount)
                t.add("alternative_amount", a.alternativeAmount)
                t.add("expiration_date", a.expirationDate)
                t.add("reward_offer", a.rewardOffer?.json)
                return t.json
            }))
        }
        return o.json
    }
}

extension HealthReport {
    var json: JSON {
        .object([("status", .string(serving ? "SERVING" : "NOT_SERVING")), ("version", .string(version)),
                 ("uptime_ms", .integer(uptimeMs)), ("events", .integer(Int64(events))), ("connections", .integer(Int64(connections))),
                 ("calls_in_flight", .integer(Int64(callsInFlight))), ("log_bytes", .integer(Int64(logBytes))),
                 ("last_fsync_us", .integer(Int64(lastFsyncMicros)))])
    }
}

extension BulkResult {
    var json: JSON {
        .object([
            ("processed_customer_events_set", .array(processed.map {
                .object([("request_unique_identifier", .string($0.requestUniqueIdentifier)), ("id", .string($0.id)), ("number", .string($0.number))])
            })),
            ("unprocessed_customer_events_set", .array(unprocessed.map {
                .object([("request_unique_identifier", .string($0.requestUniqueIdentifier)), ("error_code", .string($0.errorCode)),
                         ("error_description", .string($0.errorDescription)),
                         ("violations", .array($0.violations.map { .object([("field", .string($0.field)), ("description", .string($0.description))]) })),
                         ("status", .integer(Int64($0.status)))])
            })),
        ])
    }
}
