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
        Syntax.identifier(command.accountsReceivableIdentifier, .accountsReceivable, mandatory: true, into: &issues)
        Syntax.identifier(command.rewardsParticipantIdentifier, .rewardsParticipant, into: &issues)
        Syntax.identifier(command.classificationIdentifier, .classification, mandatory: true, into: &issues)
        Syntax.identifier(command.productIdentifier, .product, into: &issues)
        Syntax.identifier(command.paymentMediumTypeIdentifier, .paymentMediumType, into: &issues)
        Syntax.identifier(command.paymentMediumBrandIdentifier, .paymentMediumBrand, into: &issues)
        Syntax.string(command.paymentMediumIdentifier, "payment_medium_identifier", into: &issues)
        if let amount = command.amount, !amount.isFinite || amount < 0 {
            issues.append(Finding("INVALID_AMOUNT", "amount", "amount must be a finite number of 0 or more."))
        }
        performedBy(command, into: &issues)
        if command.performedOn == nil { issues.append(Syntax.missing("performed_on")) }
        Syntax.string(command.description, "description", limit: Syntax.descriptionLimit, into: &issues)
        Syntax.string(command.externalSystem, "external_system", into: &issues)
        Syntax.string(command.externalSystemReferenceNumber, "external_system_reference_number", into: &issues)
        if let token = command.authorizedByAccessTokenIdentifier {
            Syntax.accessToken(token, "authorized_by_access_token_identifier", into: &issues)
        }
        Syntax.string(command.promoCode, "promo_code", into: &issues)
        for index in 0..<8 {
            Syntax.string(command.userDefinedFields.string(at: index), udfStringPaths[index], into: &issues)
        }
        Syntax.fieldsSet(command.fieldsSet, into: &issues)
        Syntax.string(command.requestUniqueIdentifier, "request_unique_identifier", into: &issues)
        return issues
    }

    /// The three performed_by identifiers, then the group rule: exactly one of them.
    ///
    /// None: PERFORMED_BY_REQUIRED, one violation per member of the group. Several:
    /// PERFORMED_BY_CONFLICT, one violation per member given.
    static func performedBy(_ command: CreateAchievement, into issues: inout [Finding]) {
        Syntax.identifier(command.performedByBusinessUnitIdentifier, .businessUnit, into: &issues)
        Syntax.identifier(command.performedByUnitIdentifier, .unit, into: &issues)
        Syntax.identifier(command.performedByTapIdentifier, .tap, into: &issues)
        let given = (
            command.performedByBusinessUnitIdentifier.isPresent, command.performedByUnitIdentifier.isPresent,
            command.performedByTapIdentifier.isPresent
        )
        switch (given.0 ? 1 : 0) + (given.1 ? 1 : 0) + (given.2 ? 1 : 0) {
        case 0:
            for path in performedByPaths {
                issues.append(Finding("PERFORMED_BY_REQUIRED", path, "Exactly one of \(performedByNames) is required."))
            }
        case 1:
            break
        default:
            for (path, isGiven) in zip(performedByPaths, [given.0, given.1, given.2]) where isGiven {
                issues.append(Finding("PERFORMED_BY_CONFLICT", path, "Only one of \(performedByNames) may be given."))
            }
        }
    }
}

extension Optional {
    /// Whether a value is present. `!= nil` copies the value first (measured: 250 instructions
    /// per identifier of a create).
    var isPresent: Bool {
        if case .some = self { true } else { false }
    }
}
