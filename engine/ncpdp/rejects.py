"""NCPDP reject codes (field 511-FB) with their External Code List text.

Codes are strings, never integers: ``"01"`` is not ``"1"``. Each member carries the
ECL2010 phrase and the fields the ECL names as possibly in error, so a response can
say what is wrong without a second table. Source: NCPDP External Code List,
December 2010, as summarised in ``shared/reference/ncpdp-d0.md`` §4.
"""

from __future__ import annotations

from enum import Enum

__all__ = ["RejectCode"]


class RejectCode(Enum):
    """A reject code; ``.code`` is the wire value, ``.text`` its phrase."""

    code: str
    text: str
    fields: tuple[str, ...]

    def __new__(cls, code: str, text: str, fields: tuple[str, ...]) -> RejectCode:
        """Make the wire code the value, so ``RejectCode("75")`` finds the member."""
        member = object.__new__(cls)
        member._value_ = code
        member.code = code
        member.text = text
        member.fields = fields
        return member

    MI_BIN_NUMBER = ("01", "M/I Bin Number", ("101-A1",))
    MI_PROCESSOR_CONTROL_NUMBER = ("04", "M/I Processor Control Number", ("104-A4",))
    MI_GROUP_ID = ("06", "M/I Group ID", ("301-C1",))
    MI_CARDHOLDER_ID = ("07", "M/I Cardholder ID", ("302-C2",))
    MI_PERSON_CODE = ("08", "M/I Person Code", ("303-C3",))
    MI_DATE_OF_BIRTH = ("09", "M/I Date Of Birth", ("304-C4",))
    MI_PATIENT_GENDER_CODE = ("10", "M/I Patient Gender Code", ("305-C5",))
    MI_PATIENT_RELATIONSHIP_CODE = ("11", "M/I Patient Relationship Code", ("306-C6",))
    MI_OTHER_COVERAGE_CODE = ("13", "M/I Other Coverage Code", ("308-C8",))
    MI_DATE_OF_SERVICE = ("15", "M/I Date of Service", ("401-D1",))
    MI_DAYS_SUPPLY = ("19", "M/I Days Supply", ("405-D5",))
    MI_PRODUCT_SERVICE_ID = ("21", "M/I Product/Service ID", ("407-D7", "489-TE"))
    MI_PRESCRIBER_ID = ("25", "M/I Prescriber ID", ("411-DB",))
    MI_DATE_PRESCRIPTION_WRITTEN = ("28", "M/I Date Prescription Written", ("414-DE",))
    MI_NUMBER_OF_REFILLS_AUTHORIZED = ("29", "M/I Number Of Refills Authorized", ("415-DF",))
    PHARMACY_NOT_CONTRACTED_WITH_PLAN_ON_DATE_OF_SERVICE = (
        "40",
        "Pharmacy Not Contracted With Plan On Date Of Service",
        (),
    )
    SUBMIT_BILL_TO_OTHER_PROCESSOR_OR_PRIMARY_PAYER = (
        "41",
        "Submit Bill To Other Processor Or Primary Payer",
        (),
    )
    NON_MATCHED_CARDHOLDER_ID = ("52", "Non-Matched Cardholder ID", ("302-C2",))
    PRODUCT_SERVICE_NOT_COVERED_FOR_PATIENT_AGE = (
        "60",
        "Product/Service Not Covered For Patient Age",
        ("302-C2", "304-C4", "401-D1", "407-D7", "489-TE"),
    )
    PRODUCT_SERVICE_NOT_COVERED_FOR_PATIENT_GENDER = (
        "61",
        "Product/Service Not Covered For Patient Gender",
        ("302-C2", "305-C5", "407-D7", "489-TE"),
    )
    PATIENT_CARD_HOLDER_ID_NAME_MISMATCH = (
        "62",
        "Patient/Card Holder ID Name Mismatch",
        ("310-CA", "311-CB", "312-CC", "313-CD", "302-C2"),
    )
    PRODUCT_SERVICE_ID_NOT_COVERED_FOR_INSTITUTIONALIZED_PATIENT = (
        "63",
        "Product/Service ID Not Covered For Institutionalized Patient",
        ("302-C2", "401-D1", "407-D7"),
    )
    PATIENT_IS_NOT_COVERED = ("65", "Patient Is Not Covered", ("303-C3", "306-C6"))
    PATIENT_AGE_EXCEEDS_MAXIMUM_AGE = (
        "66",
        "Patient Age Exceeds Maximum Age",
        ("303-C3", "304-C4", "306-C6"),
    )
    FILLED_BEFORE_COVERAGE_EFFECTIVE = ("67", "Filled Before Coverage Effective", ("401-D1",))
    FILLED_AFTER_COVERAGE_EXPIRED = ("68", "Filled After Coverage Expired", ("401-D1",))
    FILLED_AFTER_COVERAGE_TERMINATED = ("69", "Filled After Coverage Terminated", ("401-D1",))
    PRODUCT_SERVICE_NOT_COVERED_PLAN_BENEFIT_EXCLUSION = (
        "70",
        "Product/Service Not Covered – Plan/Benefit Exclusion",
        ("407-D7", "489-TE"),
    )
    PRESCRIBER_ID_IS_NOT_COVERED = ("71", "Prescriber ID Is Not Covered", ("411-DB",))
    PRIOR_AUTHORIZATION_REQUIRED = ("75", "Prior Authorization Required", ("462-EV", "489-TE"))
    PLAN_LIMITATIONS_EXCEEDED = ("76", "Plan Limitations Exceeded", ("405-D5", "442-E7"))
    DISCONTINUED_PRODUCT_SERVICE_ID_NUMBER = (
        "77",
        "Discontinued Product/Service ID Number",
        ("407-D7", "489-TE"),
    )
    COST_EXCEEDS_MAXIMUM = (
        "78",
        "Cost Exceeds Maximum",
        ("407-D7", "409-D9", "442-E7", "448-ED", "449-EE", "481-HA", "482-G3", "489-TE"),
    )
    REFILL_TOO_SOON = ("79", "Refill Too Soon", ("401-D1", "403-D3", "405-D5"))
    DRUG_DIAGNOSIS_MISMATCH = ("80", "Drug-Diagnosis Mismatch", ("407-D7", "424-DO"))
    CLAIM_TOO_OLD = ("81", "Claim Too Old", ("401-D1",))
    DUPLICATE_PAID_CAPTURED_CLAIM = (
        "83",
        "Duplicate Paid/Captured Claim",
        ("201-B1", "401-D1", "402-D2", "403-D3", "407-D7"),
    )
    CLAIM_HAS_NOT_BEEN_PAID_CAPTURED = (
        "84",
        "Claim Has Not Been Paid/Captured",
        ("201-B1", "401-D1", "402-D2"),
    )
    CLAIM_NOT_PROCESSED = ("85", "Claim Not Processed", ())
    SUBMIT_MANUAL_REVERSAL = ("86", "Submit Manual Reversal", ())
    REVERSAL_NOT_PROCESSED = ("87", "Reversal Not Processed", ())
    DUR_REJECT_ERROR = ("88", "DUR Reject Error", ("401-D1", "407-D7"))
    REJECTED_CLAIM_FEES_PAID = ("89", "Rejected Claim Fees Paid", ())
    HOST_HUNG_UP = ("90", "Host Hung Up", ())
    HOST_RESPONSE_ERROR = ("91", "Host Response Error", ())
    SYSTEM_UNAVAILABLE_HOST_UNAVAILABLE = ("92", "System Unavailable/Host Unavailable", ())
    TIME_OUT = ("95", "Time Out", ())
    SCHEDULED_DOWNTIME = ("96", "Scheduled Downtime", ())
    PAYER_UNAVAILABLE = ("97", "Payer Unavailable", ())
    CONNECTION_TO_PAYER_IS_DOWN = ("98", "Connection To Payer Is Down", ())
    HOST_PROCESSING_ERROR = ("99", "Host Processing Error", ())
    PATIENT_NOT_COVERED_IN_THIS_AID_CATEGORY = (
        "M1",
        "Patient Not Covered In This Aid Category",
        ("302-C2", "401-D1"),
    )
    MI_QUANTITY_DISPENSED = ("E7", "M/I Quantity Dispensed", ("442-E7",))
    MI_VERSION_RELEASE_NUMBER = ("02", "M/I Version/Release Number", ("102-A2",))
    MI_TRANSACTION_CODE = ("03", "M/I Transaction Code", ("103-A3",))
    MI_SERVICE_PROVIDER_NUMBER = ("05", "M/I Service Provider Number", ("201-B1",))
    MI_PLACE_OF_SERVICE = ("12", "M/I Place of Service", ())
    MI_ELIGIBILITY_CLARIFICATION_CODE = ("14", "M/I Eligibility Clarification Code", ("309-C9",))
    MI_PRESCRIPTION_SERVICE_REFERENCE_NUMBER = (
        "16",
        "M/I Prescription/Service Reference Number",
        ("402-D2",),
    )
    MI_FILL_NUMBER = ("17", "M/I Fill Number", ("403-D3",))
    MI_COMPOUND_CODE = ("20", "M/I Compound Code", ("406-D6",))
    MI_DAW_PRODUCT_SELECTION_CODE = (
        "22",
        "M/I Dispense As Written (DAW)/Product Selection Code",
        ("408-D8",),
    )
    MI_INGREDIENT_COST_SUBMITTED = ("23", "M/I Ingredient Cost Submitted", ("409-D9",))
    MI_UNIT_OF_MEASURE = ("26", "M/I Unit Of Measure", ("600-28",))
    MI_LEVEL_OF_SERVICE = ("32", "M/I Level Of Service", ("418-DI",))
    MI_PRESCRIPTION_ORIGIN_CODE = ("33", "M/I Prescription Origin Code", ("419-DJ",))
    MI_SUBMISSION_CLARIFICATION_CODE = ("34", "M/I Submission Clarification Code", ("420-DK",))
    MI_PRIMARY_CARE_PROVIDER_ID = ("35", "M/I Primary Care Provider ID", ("421-DL",))
    MI_DIAGNOSIS_CODE = ("39", "M/I Diagnosis Code", ("424-DO",))
    NON_MATCHED_PHARMACY_NUMBER = ("50", "Non-Matched Pharmacy Number", ("201-B1",))
    NON_MATCHED_GROUP_ID = ("51", "Non-Matched Group ID", ("301-C1",))
    NON_MATCHED_PERSON_CODE = ("53", "Non-Matched Person Code", ("303-C3",))
    NON_MATCHED_PRODUCT_SERVICE_ID_NUMBER = (
        "54",
        "Non-Matched Product/Service ID Number",
        ("407-D7", "489-TE"),
    )
    NON_MATCHED_PRODUCT_PACKAGE_SIZE = (
        "55",
        "Non-Matched Product Package Size",
        ("407-D7", "489-TE"),
    )
    NON_MATCHED_PRESCRIBER_ID = ("56", "Non-Matched Prescriber ID", ("411-DB",))
    NON_MATCHED_PRIMARY_PRESCRIBER = ("58", "Non-Matched Primary Prescriber", ("421-DL",))
    CLAIM_SUBMITTED_DOES_NOT_MATCH_PRIOR_AUTHORIZATION = (
        "64",
        "Claim Submitted Does Not Match Prior Authorization",
        ("201-B1", "407-D7", "442-E7", "461-EU", "462-EV", "489-TE"),
    )
    PRIMARY_PRESCRIBER_IS_NOT_COVERED = ("72", "Primary Prescriber Is Not Covered", ("421-DL",))
    REFILLS_ARE_NOT_COVERED = ("73", "Refills Are Not Covered", ("402-D2", "403-D3"))
    OTHER_CARRIER_PAYMENT_MEETS_OR_EXCEEDS_PAYABLE = (
        "74",
        "Other Carrier Payment Meets Or Exceeds Payable",
        ("409-D9", "442-E7", "481-HA", "482-GE"),
    )
    CLAIM_IS_POST_DATED = ("82", "Claim Is Post-Dated", ("401-D1",))
    VERSION_RELEASE_VALUE_NOT_SUPPORTED = ("1R", "Version/Release Value Not Supported", ("102-A2",))
    TRANSACTION_CODE_TYPE_VALUE_NOT_SUPPORTED = (
        "1S",
        "Transaction Code/Type Value Not Supported",
        ("103-A3",),
    )
    PCN_MUST_CONTAIN_PROCESSOR_PAYER_ASSIGNED_VALUE = (
        "1T",
        "PCN Must Contain Processor/Payer Assigned Value",
        ("104-A4",),
    )
    TRANSACTION_COUNT_DOES_NOT_MATCH_NUMBER_OF_TRANSACTIONS = (
        "1U",
        "Transaction Count Does Not Match Number of Transactions",
        ("109-A9",),
    )
    MULTIPLE_TRANSACTIONS_NOT_SUPPORTED = ("1V", "Multiple Transactions Not Supported", ("109-A9",))
    MULTI_INGREDIENT_COMPOUND_MUST_BE_A_SINGLE_TRANSACTION = (
        "1W",
        "Multi-Ingredient Compound Must Be A Single Transaction",
        ("109-A9",),
    )
    VENDOR_NOT_CERTIFIED_FOR_PROCESSOR_PAYER = (
        "1X",
        "Vendor Not Certified For Processor/Payer",
        ("110-AK",),
    )
    CLAIM_SEGMENT_REQUIRED_FOR_ADJUDICATION = (
        "1Y",
        "Claim Segment Required For Adjudication",
        ("111-AM",),
    )
    CLINICAL_SEGMENT_REQUIRED_FOR_ADJUDICATION = (
        "1Z",
        "Clinical Segment Required For Adjudication",
        ("111-AM",),
    )
    MI_MEDIGAP_ID = ("2A", "M/I Medigap ID", ("359-2A",))
    MI_MEDICAID_INDICATOR = ("2B", "M/I Medicaid Indicator", ("360-2B",))
    MI_PREGNANCY_INDICATOR = ("2C", "M/I Pregnancy Indicator", ("335-2C",))
    MI_PROVIDER_ACCEPT_ASSIGNMENT_INDICATOR = (
        "2D",
        "M/I Provider Accept Assignment Indicator",
        ("361-2D",),
    )
    MI_PRIMARY_CARE_PROVIDER_ID_QUALIFIER = (
        "2E",
        "M/I Primary Care Provider ID Qualifier",
        ("468-2E",),
    )
    MI_PRIOR_AUTHORIZED_NUMBER_ASSIGNED = (
        "3N",
        "M/I Prior Authorized Number-Assigned",
        ("498-PY",),
    )
    PRIOR_AUTHORIZATION_IN_PROCESS = (
        "3W",
        "Prior Authorization In Process",
        ("302-C2", "401-D1", "407-D7"),
    )
    AUTHORIZATION_NUMBER_NOT_FOUND = ("3X", "Authorization Number Not Found", ("503-F3",))
    PRIOR_AUTHORIZATION_DENIED = (
        "3Y",
        "Prior Authorization Denied",
        ("302-C2", "401-D1", "407-D7"),
    )
    MI_COORDINATION_OF_BENEFITS_OTHER_PAYMENTS_COUNT = (
        "4C",
        "M/I Coordination Of Benefits/Other Payments Count",
        ("337-4C",),
    )
    MI_PRIMARY_CARE_PROVIDER_LAST_NAME = ("4E", "M/I Primary Care Provider Last Name", ("470-4E",))
    MI_PATIENT_RESIDENCE = ("4X", "M/I Patient Residence", ("384-4X",))
    PATIENT_RESIDENCE_VALUE_NOT_SUPPORTED = (
        "4Y",
        "Patient Residence Value Not Supported",
        ("384-4X",),
    )
    MI_OTHER_PAYER_COVERAGE_TYPE = ("5C", "M/I Other Payer Coverage Type", ("338-5C",))
    MI_OTHER_PAYER_REJECT_COUNT = ("5E", "M/I Other Payer Reject Count", ("471-5E",))
    MI_OTHER_PAYER_ID_QUALIFIER = ("6C", "M/I Other Payer ID Qualifier", ("339-6C",))
    MI_OTHER_PAYER_REJECT_CODE = ("6E", "M/I Other Payer Reject Code", ("472-6E",))
    PROVIDER_NOT_ELIGIBLE_TO_PERFORM_SERVICE_DISPENSE_PRODUCT = (
        "6Z",
        "Provider Not Eligible To Perform Service/Dispense Product",
        ("201-B1",),
    )
    MI_OTHER_PAYER_ID = ("7C", "M/I Other Payer ID", ("340-7C",))
    MI_DUR_PPS_CODE_COUNTER = ("7E", "M/I DUR/PPS Code Counter", ("473-7E",))
    DAYS_SUPPLY_EXCEEDS_PLAN_LIMITATION = ("7X", "Days Supply Exceeds Plan Limitation", ("405-D5",))
    MI_FACILITY_ID = ("8C", "M/I Facility ID", ("336-8C",))
    MI_DUR_PPS_LEVEL_OF_EFFORT = ("8E", "M/I DUR/PPS Level Of Effort", ("474-8E",))
    NEGATIVE_OTHER_PAYER_AMOUNT_PAID = (
        "8V",
        "Negative Dollar Amount Is Not Supported In The Other Payer Amount Paid Field",
        ("431-DV",),
    )
    OTHER_COVERAGE_CODE_AMOUNT_PAID_DISCREPANCY = (
        "8W",
        "Discrepancy Between Other Coverage Code and Other Payer Amount Paid",
        ("431-DV",),
    )
    QUANTITY_DISPENSED_EXCEEDS_MAXIMUM_ALLOWED = (
        "9G",
        "Quantity Dispensed Exceeds Maximum Allowed",
        ("442-E7",),
    )
    NOT_COVERED_UNDER_PART_D_LAW = (
        "A5",
        "Not Covered Under Part D Law",
        ("302-C2", "401-D1", "407-D7"),
    )
    THIS_MEDICATION_MAY_BE_COVERED_UNDER_PART_B = (
        "A6",
        "This Medication May Be Covered Under Part B",
        ("302-C2", "401-D1", "407-D7"),
    )
    MI_TRANSACTION_COUNT = ("A9", "M/I Transaction Count", ("109-A9",))
    PATIENT_SPENDDOWN_NOT_MET = ("AA", "Patient Spenddown Not Met", ("302-C2", "401-D1", "407-D7"))
    PRODUCT_NOT_COVERED_NON_PARTICIPATING_MANUFACTURER = (
        "AC",
        "Product Not Covered Non-Participating Manufacturer",
        ("489-TE", "407-D7"),
    )
    QMB_QUALIFIED_MEDICARE_BENEFICIARY_BILL_MEDICARE = (
        "AE",
        "QMB (Qualified Medicare Beneficiary)- Bill Medicare",
        ("302-C2",),
    )
    PATIENT_ENROLLED_UNDER_MANAGED_CARE = ("AF", "Patient Enrolled Under Managed Care", ("302-C2",))
    DAYS_SUPPLY_LIMITATION_FOR_PRODUCT_SERVICE = (
        "AG",
        "Days Supply Limitation For Product/Service",
        ("489-TE", "407-D7"),
    )
    GENERIC_DRUG_REQUIRED = ("AJ", "Generic Drug Required", ("489-TE", "407-D7"))
    MI_SOFTWARE_VENDOR_CERTIFICATION_ID = (
        "AK",
        "M/I Software Vendor/Certification ID",
        ("110-AK",),
    )
    MI_SEGMENT_IDENTIFICATION = ("AM", "M/I Segment Identification", ("111-AM",))
    MI_PATIENT_FIRST_NAME = ("CA", "M/I Patient First Name", ("310-CA",))
    MI_PATIENT_LAST_NAME = ("CB", "M/I Patient Last Name", ("311-CB",))
    MI_DISPENSING_FEE_SUBMITTED = ("DC", "M/I Dispensing Fee Submitted", ("412-DC",))
    MI_BASIS_OF_COST_DETERMINATION = ("DN", "M/I Basis Of Cost Determination", ("423-DN", "490-UE"))
    MI_USUAL_AND_CUSTOMARY_CHARGE = ("DQ", "M/I Usual And Customary Charge", ("426-DQ",))
    MI_GROSS_AMOUNT_DUE = ("DU", "M/I Gross Amount Due", ("430-DU",))
    MI_OTHER_PAYER_AMOUNT_PAID = ("DV", "M/I Other Payer Amount Paid", ("431-DV",))
    MI_PATIENT_PAID_AMOUNT_SUBMITTED = ("DX", "M/I Patient Paid Amount Submitted", ("433-DX",))
    MI_PRODUCT_SERVICE_ID_QUALIFIER = (
        "E1",
        "M/I Product/Service ID Qualifier",
        ("436-E1", "488-RE"),
    )
    MI_REASON_FOR_SERVICE_CODE = ("E4", "M/I Reason For Service Code", ("439-E4",))
    MI_PROFESSIONAL_SERVICE_CODE = ("E5", "M/I Professional Service Code", ("440-E5",))
    MI_RESULT_OF_SERVICE_CODE = ("E6", "M/I Result Of Service Code", ("441-E6",))
    MI_OTHER_PAYER_DATE = ("E8", "M/I Other Payer Date", ("443-E8",))
    MI_COMPOUND_INGREDIENT_COMPONENT_COUNT = (
        "EC",
        "M/I Compound Ingredient Component Count",
        ("447-EC",),
    )
    MI_COMPOUND_INGREDIENT_QUANTITY = ("ED", "M/I Compound Ingredient Quantity", ("448-ED",))
    MI_COMPOUND_INGREDIENT_DRUG_COST = ("EE", "M/I Compound Ingredient Drug Cost", ("449-EE",))
    MI_COMPOUND_DOSAGE_FORM_DESCRIPTION_CODE = (
        "EF",
        "M/I Compound Dosage Form Description Code",
        ("450-EF",),
    )
    MI_COMPOUND_DISPENSING_UNIT_FORM_INDICATOR = (
        "EG",
        "M/I Compound Dispensing Unit Form Indicator",
        ("451-EG",),
    )
    MI_PRESCRIPTION_SERVICE_REFERENCE_NUMBER_QUALIFIER = (
        "EM",
        "M/I Prescription/Service Reference Number Qualifier",
        ("455-EM",),
    )
    MI_PRIOR_AUTHORIZATION_TYPE_CODE = ("EU", "M/I Prior Authorization Type Code", ("461-EU",))
    MI_PRIOR_AUTHORIZATION_NUMBER_SUBMITTED = (
        "EV",
        "M/I Prior Authorization Number Submitted",
        ("462-EV",),
    )
    MI_PRESCRIBER_ID_QUALIFIER = ("EZ", "M/I Prescriber ID Qualifier", ("466-EZ",))
    MI_OTHER_PAYER_AMOUNT_PAID_COUNT = ("HB", "M/I Other Payer Amount Paid Count", ("341-HB",))
    MI_OTHER_PAYER_AMOUNT_PAID_QUALIFIER = (
        "HC",
        "M/I Other Payer Amount Paid Qualifier",
        ("342-HC",),
    )
    MI_DUR_CO_AGENT_ID = ("H6", "M/I DUR Co-Agent ID", ("476-H6",))
    MI_DUR_CO_AGENT_ID_QUALIFIER = ("J9", "M/I DUR Co-Agent ID Qualifier", ("475-J9",))
    RECIPIENT_LOCKED_IN = ("M2", "Recipient Locked In", ("302-C2", "401-D1"))
    PRESCRIPTION_SERVICE_REFERENCE_NUMBER_TIME_LIMIT_EXCEEDED = (
        "M4",
        "Prescription/Service Reference Number/Time Limit Exceeded",
        ("402-D2",),
    )
    OTHER_PAYER_CARDHOLDER_ID_NOT_COVERED = (
        "MP",
        "Other Payer Cardholder ID Not Covered",
        ("356-NU",),
    )
    PRODUCT_NOT_ON_FORMULARY = ("MR", "Product Not On Formulary", ("407-D7",))
    ERROR_OVERFLOW = ("MZ", "Error Overflow", ())
    NO_PATIENT_MATCH_FOUND = ("N1", "No patient match found.", ("302-C2",))
    TRANSACTION_REJECTED_AT_SWITCH_OR_INTERMEDIARY = (
        "NN",
        "Transaction Rejected At Switch Or Intermediary",
        (),
    )
    MI_OTHER_PAYER_PATIENT_RESPONSIBILITY_AMOUNT_QUALIFIER = (
        "NP",
        "M/I Other Payer-Patient Responsibility Amount Qualifier",
        ("351-NP",),
    )
    MI_OTHER_PAYER_PATIENT_RESPONSIBILITY_AMOUNT = (
        "NQ",
        "M/I Other Payer-Patient Responsibility Amount",
        ("352-NQ",),
    )
    MI_OTHER_PAYER_PATIENT_RESPONSIBILITY_AMOUNT_COUNT = (
        "NR",
        "M/I Other Payer-Patient Responsibility Amount Count",
        ("353-NR",),
    )
    PA_EXHAUSTED_NOT_RENEWABLE = ("PA", "PA Exhausted/Not Renewable", ("462-EV",))
    INVALID_TRANSACTION_COUNT_FOR_THIS_TRANSACTION_CODE = (
        "PB",
        "Invalid Transaction Count For This Transaction Code",
        ("103-A3", "109-A9"),
    )
    MI_REQUEST_CLAIM_SEGMENT = ("PC", "M/I Request Claim Segment", ("111-AM",))
    EMPLOYER_ID_NOT_COVERED = ("PW", "Employer ID Not Covered", ("333-CZ",))
    OTHER_PAYER_ID_NOT_COVERED = ("PX", "Other Payer ID Not Covered", ("340-7C",))
    COUPON_EXPIRED = ("P5", "Coupon Expired", ("486-ME",))
    DATE_OF_SERVICE_PRIOR_TO_DATE_OF_BIRTH = (
        "P6",
        "Date Of Service Prior To Date Of Birth",
        ("304-C4", "401-D1"),
    )
    OTHER_AMOUNT_CLAIMED_COUNT_MISMATCH = (
        "R1",
        "Other Amount Claimed Submitted Count Does Not Match Number Of Repetitions",
        ("478-H7",),
    )
    PRODUCT_SERVICE_NOT_APPROPRIATE_FOR_THIS_LOCATION = (
        "R6",
        "Product/Service Not Appropriate For This Location",
        ("307-C7", "407-D7", "436-E1", "489-TE"),
    )
    MI_PROCEDURE_MODIFIER_CODE_COUNT = ("SE", "M/I Procedure Modifier Code Count", ("458-SE",))
    SUBMISSION_CLARIFICATION_CODE_COUNT_MISMATCH = (
        "SG",
        "Submission Clarification Code Count Does Not Match Number of Repetitions",
        ("354-NX",),
    )
    OTHER_PAYER_PATIENT_RESPONSIBILITY_COUNT_MISMATCH = (
        "SH",
        "Other Payer-Patient Responsibility Amount Count Does Not Match Number of Repetitions",
        ("353-NR",),
    )
    EMERGENCY_FILL_RESUBMIT_CLAIM = ("TN", "Emergency Fill/Resubmit Claim", ())
    LEVEL_OF_CARE_CHANGE_RESUBMIT_CLAIM = ("TP", "Level of Care Change/Resubmit Claim", ())
    CARDHOLDER_ID_INACTIVE_NEW_ID_ON_FILE = (
        "ZZ",
        "Cardholder ID submitted is inactive. New Cardholder ID on file.",
        ("302-C2",),
    )
    GROSS_AMOUNT_DUE_NOT_USED_FOR_TRANSACTION_CODE = (
        "372",
        "Gross Amount Due is not used for this Transaction Code",
        ("430-DU",),
    )
    PROVIDE_BENEFICIARY_WITH_CMS_NOTICE_OF_APPEAL_RIGHTS = (
        "569",
        "Provide Beneficiary with CMS Notice of Appeal Rights",
        (),
    )

    @classmethod
    def from_code(cls, code: str) -> RejectCode:
        """Look a code up by its wire value (``"75"``); raises ``ValueError`` if unknown."""
        return cls(code)

    def __str__(self) -> str:
        return f"{self.code} {self.text}"
