import Codec
import Domain
import Testing

/// Bytes made by the reference encoder, pasted here so the tests need no protoc-c:
/// `protoc-c --encode=achievement.v1.<Message> --proto_path=Protos Protos/achievement.proto < text`
/// (protoc-c 1.4.1 / libprotoc 3.21.12). The text inputs are in each test's comment.
@Suite("Golden bytes from protoc-c --encode")
struct GoldenBytesTests {
    // token: "tok.abc"
    // accounts_receivable_identifier { number: "AR-001" access_token_identifier { identifier: "card-7" pass_code: "1234" } }
    // classification_identifier { name: "Purchase" }
    // product_identifier {}
    // amount: 0
    // performed_by_unit_identifier { alternative_code: "U1" }
    // performed_on: 1700000000000
    // description: "Caf\303\251 visit"
    // external_system: "POS"
    // external_system_reference_number: "R-9"
    // promo_code: "SPRING"
    // udf_string_1: "a"
    // udf_string_8: "z"
    // udf_float_2: 0
    // udf_float_4: -1.5
    // udf_date_1: 0
    // fields_set: "id"
    // fields_set: "number"
    static let createRequest = Fixtures.bytes(
        """
        0a07746f6b2e6162631218120641522d303031220e1206636172642d371a0431323334220a120850757263686173652a0049000000\
        00000000005a041a0255316880d095ffbc31720b436166c3a92076697369747a03504f53820103522d39920106535052494e479a01\
        0161d201017ae1010000000000000000f101000000000000f8bff801009a020269649a02066e756d626572
        """
    )

    static var createCommand: CreateAchievement {
        var c = CreateAchievement()
        c.token = "tok.abc"
        c.accountsReceivableIdentifier = Identifier(
            number: "AR-001",
            accessTokenIdentifier: AccessTokenIdentifier(identifier: "card-7", passCode: "1234")
        )
        c.classificationIdentifier = Identifier(name: "Purchase")
        c.productIdentifier = Identifier()
        c.amount = 0
        c.performedByUnitIdentifier = Identifier(alternativeCode: "U1")
        c.performedOn = 1_700_000_000_000
        c.description = "Café visit"
        c.externalSystem = "POS"
        c.externalSystemReferenceNumber = "R-9"
        c.promoCode = "SPRING"
        c.userDefinedFields.strings[0] = "a"
        c.userDefinedFields.strings[7] = "z"
        c.userDefinedFields.floats[1] = 0
        c.userDefinedFields.floats[3] = -1.5
        c.userDefinedFields.dates[0] = 0
        c.fieldsSet = ["id", "number"]
        return c
    }

    @Test("CreateAchievementRequest")
    func createAchievement() throws {
        let encoded = Fixtures.encode { Self.createCommand.encode(appendingTo: &$0) }
        #expect(Fixtures.hex(encoded) == Fixtures.hex(Self.createRequest))
        #expect(try Self.createRequest.withUnsafeBytes { try CreateAchievement(payload: $0) } == Self.createCommand)
    }

    // username: "demo" password: "s3cret" organisation: "Acme" unit { name: "HQ" }
    static let loginRequest = Fixtures.bytes("0a0464656d6f12067333637265741a0441636d65220412024851")

    @Test("LoginRequest")
    func login() throws {
        let command = LoginCommand(
            username: "demo",
            password: "s3cret",
            organisation: "Acme",
            unit: Identifier(name: "HQ")
        )
        #expect(Fixtures.encode { command.encode(appendingTo: &$0) } == Self.loginRequest)
        #expect(try Self.loginRequest.withUnsafeBytes { try LoginCommand(payload: $0) } == command)
    }

    // code: "INVALID_IDENTIFIER"
    // message: "Bad identifier."
    // violations { field: "items[3].accounts_receivable_identifier" description: "Give exactly one field." }
    // violations { field: "amount" description: "Must be finite." }
    static let error = Fixtures.bytes(
        """
        0a12494e56414c49445f4944454e544946494552120f426164206964656e7469666965722e1a420a276974656d735b335d2e616363\
        6f756e74735f72656365697661626c655f6964656e7469666965721217476976652065786163746c79206f6e65206669656c642e1a\
        190a06616d6f756e74120f4d7573742062652066696e6974652e
        """
    )

    @Test("Error")
    func errorPayload() throws {
        let payload = ErrorPayload(
            code: "INVALID_IDENTIFIER",
            message: "Bad identifier.",
            violations: [
                Violation(field: "items[3].accounts_receivable_identifier", description: "Give exactly one field."),
                Violation(field: "amount", description: "Must be finite."),
            ]
        )
        #expect(Fixtures.encode { payload.encode(appendingTo: &$0) } == Self.error)
        #expect(try Self.error.withUnsafeBytes { try ErrorPayload(payload: $0) } == payload)
    }

    // id: "0123456789abcdef00000000000000ff"  number: "42"  type: ACHIEVEMENT  life_cycle_state: POSTED
    // performed_on: 1700000000000  amount: 0  total_awarded_amount: 5  total_awarded_alternative_amount: 50
    // udf_float_1: 0
    // classification { id: "c0000000000000000000000000000001" name: "Purchase" alternative_code: "PUR" }
    // accounts_receivable { id: "a0000000000000000000000000000001" number: "AR-001" name: "Jane" life_cycle_state: "ACTIVE" }
    // log_information { created_date: 1700000000001 updated_date: 1700000000002
    // created_by_user { id: "u1" username: "demo" } updated_by_user { id: "u1" username: "demo" } }
    // award_reward_transactions_set { id: "b0000000000000000000000000000001" number: "7" life_cycle_state: POSTED
    // amount: 5 alternative_amount: 50 expiration_date: 0
    // reward_offer { id: "r1" name: "Welcome" } }
    static let customerEvent = Fixtures.bytes(
        """
        0a20303132333435363738396162636465663030303030303030303030303030666612023432180120012880d095ffbc3149000000\
        0000000000610000000000001440690000000000004940b1010000000000000000f201310a20633030303030303030303030303030\
        3030303030303030303030303030303031120850757263686173651a03505552fa01380a2061303030303030303030303030303030\
        30303030303030303030303030303031120641522d3030311a044a616e652206414354495645ba02260881d095ffbc311082d095ff\
        bc311a0a0a027531120464656d6f220a0a027531120464656d6fc202480a2062303030303030303030303030303030303030303030\
        3030303030303030303112013718012100000000000014402900000000000049403a0d0a027231120757656c636f6d65
        """
    )

    static var event: CustomerEvent {
        let user = ReferredObject(id: "u1", name: "demo")
        return CustomerEvent(
            id: EventID(high: 0x0123_4567_89AB_CDEF, low: 0xFF),
            number: 42,
            performedOn: 1_700_000_000_000,
            description: "not selected",
            amount: 0,
            userDefinedFields: UserDefinedFields(floats: [0, nil, nil, nil]),
            classification: ReferredObject(
                id: "c0000000000000000000000000000001",
                name: "Purchase",
                alternativeCode: "PUR"
            ),
            accountsReceivable: ReferredObject(
                id: "a0000000000000000000000000000001",
                number: "AR-001",
                name: "Jane",
                lifeCycleState: "ACTIVE"
            ),
            product: ReferredObject(id: "not selected"),
            logInformation: LogInformation(
                createdDate: 1_700_000_000_001,
                updatedDate: 1_700_000_000_002,
                createdByUser: user,
                updatedByUser: user
            ),
            awardRewardTransactions: [
                AwardTransaction(
                    id: EventID(high: 0xB000_0000_0000_0000, low: 1),
                    number: 7,
                    lifeCycleState: .posted,
                    amount: 5,
                    alternativeAmount: 50,
                    expirationDate: nil,
                    rewardOffer: ReferredObject(id: "r1", name: "Welcome")
                )
            ]
        )
    }

    static let eventMask = FieldMask(
        bits: [1, 2, 3, 4, 5, 9, 12, 13, 22, 30, 31, 39, 40].reduce(0) { $0 | 1 << UInt64($1) }
    )

    @Test("CustomerEvent")
    func customerEventBytes() throws {
        let encoded = Fixtures.encode { Self.event.encode(fields: Self.eventMask, appendingTo: &$0) }
        #expect(Fixtures.hex(encoded) == Fixtures.hex(Self.customerEvent))
        let view = try Self.customerEvent.withUnsafeBytes { try EventView(payload: $0) }
        #expect(view.id == "0123456789abcdef00000000000000ff")
        #expect(view.number == "42")
        #expect(view.type == "ACHIEVEMENT")
        #expect(view.amount == 0)
        #expect(view.udfFloats == [0, nil, nil, nil])
        #expect(view.description == nil)
        #expect(view.product == nil)
        #expect(view.logInformation?.createdByUser == ReferredView(id: "u1", name: "demo"))
        #expect(view.awardRewardTransactionsSet?.first?.expirationDate == 0)
        #expect(view.awardRewardTransactionsSet?.first?.rewardOffer == ReferredView(id: "r1", name: "Welcome"))
    }
}
