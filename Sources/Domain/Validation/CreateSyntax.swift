/// The syntactic checks of CreateAchievement, in the seed's parameter order.
///
/// Needs no catalog: mandatory parameters, identifier shapes, the performed_by group,
/// `amount`, string limits and `fields_set`. Every issue is collected, none stops the others.
enum CreateSyntax {
    /// The performed_by group in the seed's order.
    static let performedByPaths = [IdentifierSpec.businessUnit.path, IdentifierSpec.unit.path, IdentifierSpec.tap.path]
    /// `udf_string_1` … `udf_string_8`, built once (this runs on every create).
    static let udfStringPaths = (1...8).map { "udf_string_\($0)" }
    /// The group's names for messages, built once.
    static let performedByNames = performedByPaths.joined(separator: ", ")

    /// Every syntactic issue of `command`, in the seed's parameter order (empty when valid).
    static func issues(_ command: CreateAchievement) -> [Finding] {
        var issues: [Finding] = []
        issues += Syntax.identifier(command.accountsReceivableIdentifier, .accountsReceivable, mandatory: true)
        issues += Syntax.identifier(command.rewardsParticipantIdentifier, .rewardsParticipant)
        issues += Syntax.identifier(command.classificationIdentifier, .classification, mandatory: true)
        issues += Syntax.identifier(command.productIdentifier, .product)
        issues += Syntax.identifier(command.paymentMediumTypeIdentifier, .paymentMediumType)
        issues += Syntax.identifier(command.paymentMediumBrandIdentifier, .paymentMediumBrand)
        issues += Syntax.string(command.paymentMediumIdentifier, "payment_medium_identifier")
        issues += amount(command.amount)
        issues += performedBy(command)
        if command.performedOn == nil { issues.append(Syntax.missing("performed_on")) }
        issues += Syntax.string(command.description, "description", limit: Syntax.descriptionLimit)
        issues += Syntax.string(command.externalSystem, "external_system")
        issues += Syntax.string(command.externalSystemReferenceNumber, "external_system_reference_number")
        if let token = command.authorizedByAccessTokenIdentifier {
            issues += Syntax.accessToken(token, "authorized_by_access_token_identifier")
        }
        issues += Syntax.string(command.promoCode, "promo_code")
        for index in 0..<8 {
            if let value = command.userDefinedFields.string(at: index) { issues += Syntax.string(value, udfStringPaths[index]) }
        }
        issues += Syntax.fieldsSet(command.fieldsSet)
        return issues
    }

    /// INVALID_AMOUNT unless `amount` is absent, or finite and ≥ 0.
    static func amount(_ amount: Double?) -> [Finding] {
        guard let amount, !amount.isFinite || amount < 0 else { return [] }
        return [Finding("INVALID_AMOUNT", "amount", "amount must be a finite number of 0 or more.")]
    }

    /// The three performed_by identifiers, then the group rule: exactly one of them.
    ///
    /// None: PERFORMED_BY_REQUIRED, one violation per member of the group. Several:
    /// PERFORMED_BY_CONFLICT, one violation per member given.
    static func performedBy(_ command: CreateAchievement) -> [Finding] {
        var issues: [Finding] = []
        issues += Syntax.identifier(command.performedByBusinessUnitIdentifier, .businessUnit)
        issues += Syntax.identifier(command.performedByUnitIdentifier, .unit)
        issues += Syntax.identifier(command.performedByTapIdentifier, .tap)
        let given = [
            command.performedByBusinessUnitIdentifier != nil, command.performedByUnitIdentifier != nil,
            command.performedByTapIdentifier != nil,
        ]
        let names = performedByNames
        switch given.filter({ $0 }).count {
        case 0:
            issues += performedByPaths.map {
                Finding("PERFORMED_BY_REQUIRED", $0, "Exactly one of \(names) is required.")
            }
        case 1:
            break
        default:
            for (path, isGiven) in zip(performedByPaths, given) where isGiven {
                issues.append(Finding("PERFORMED_BY_CONFLICT", path, "Only one of \(names) may be given."))
            }
        }
        return issues
    }
}
