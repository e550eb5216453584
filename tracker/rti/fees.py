"""What an RTI application and its appeals cost, and how to pay, under each government's
rules: data, like ``laws.py``.

The Act leaves fees to "the appropriate Government" (sections 6(1), 7(1), 7(5),
27 and 28): the Central Government's rules for central public authorities, each
state's rules for its own. Every figure cites the rule that sets it. The Act
itself (section 7(5)) frees applicants below the poverty line from any fee, on
proof of it. A new state is one more ``FeeRules`` in ``FEE_RULES``; the letters,
the calculator and the forms read nothing else.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# How a fee can be paid; each ``FeeRules`` lists the modes its rules allow.
PAYMENT_MODES = {
    "cash": _("cash at the public authority's office, against a receipt"),
    "demand_draft": _("a demand draft"),
    "bankers_cheque": _("a banker's cheque"),
    "postal_order": _("an Indian Postal Order"),
    "court_fee_stamp": _("a court fee stamp fixed on the application"),
    "money_order": _("a postal money order"),
    "treasury_challan": _("a treasury challan"),
    "online": _("online payment through the government's RTI portal"),
}


@dataclass(frozen=True)
class FeeRules:
    """One government's RTI fees, each with the rule that sets it."""

    code: str  # "central", or the state's ISO 3166-2 code
    name: str  # the instrument
    application_fee: int  # rupees, with the application (section 6(1))
    application_rule: str
    payment_modes: tuple  # keys of PAYMENT_MODES
    payee: str  # whom a draft, cheque or postal order is made out to
    copy_fee: str  # the further fee for information (section 7(1), 7(3))
    copy_rule: str
    first_appeal_fee: int = 0  # rupees; 0: no fee
    second_appeal_fee: int = 0
    appeal_rule: str = ""
    commission: str = ""  # who hears second appeals and complaints
    word_limit: int | None = None  # the application's words, where the rules limit them
    word_limit_rule: str = ""
    bpl_section: str = "7(5)"  # the Act: no fee from applicants below the poverty line
    bpl_proof: str = _("a copy of the below-poverty-line (BPL) card or certificate")


CENTRAL = FeeRules(
    code="central",
    name="Right to Information Rules, 2012",
    application_fee=10,
    application_rule="rule 3",
    payment_modes=("cash", "demand_draft", "bankers_cheque", "postal_order", "online"),
    payee=_("the Accounts Officer of the public authority"),
    copy_fee=_(
        "₹2 a page (A4 or A3); a CD ₹50; inspection free for the first hour, ₹5 an hour after"
    ),
    copy_rule="rules 4 and 5",
    appeal_rule="rules 8-12 (no fee)",
    commission=_("the Central Information Commission"),
    word_limit=500,
    word_limit_rule="rule 3",
)

FEE_RULES = {
    rules.code: rules
    for rules in (
        CENTRAL,
        FeeRules(
            code="IN-UP",
            name="Uttar Pradesh Right to Information Rules, 2015",
            application_fee=10,
            application_rule="rule 3",
            payment_modes=(
                "cash",
                "demand_draft",
                "bankers_cheque",
                "postal_order",
                "treasury_challan",
                "online",
            ),
            payee=_("the Accounts Officer of the public authority"),
            copy_fee=_("₹2 a page (A4 or A3); a CD ₹50"),
            copy_rule="rule 5",
            appeal_rule="rules 7-12 (no fee)",
            commission=_("the Uttar Pradesh State Information Commission, Lucknow"),
            word_limit=500,
            word_limit_rule="rule 4(2)(c)",
        ),
        FeeRules(
            code="IN-MH",
            name="Maharashtra Right to Information Rules, 2005",
            application_fee=10,
            application_rule="rule 3",
            payment_modes=(
                "cash",
                "demand_draft",
                "bankers_cheque",
                "court_fee_stamp",
                "postal_order",
                "online",
            ),
            payee=_("the public authority"),
            copy_fee=_("₹2 a page (A4 or A3); a CD ₹50; inspection free for the first hour"),
            copy_rule="rule 4",
            first_appeal_fee=20,
            second_appeal_fee=20,
            appeal_rule=(
                "Maharashtra State Information Commission (Appeal Procedure) Rules, 2005 "
                "(a ₹20 court fee stamp)"
            ),
            commission=_("the Maharashtra State Information Commission"),
            word_limit=150,
            word_limit_rule="rule 3, as amended in 2012 (one subject, 150 words)",
        ),
        FeeRules(
            code="IN-DL",
            name="Delhi Right to Information Rules, 2006",
            application_fee=10,
            application_rule="rule 3",
            payment_modes=("cash", "demand_draft", "bankers_cheque", "postal_order", "online"),
            payee=_("the Accounts Officer of the public authority"),
            copy_fee=_("₹2 a page (A4 or A3); a CD ₹50"),
            copy_rule="rule 4",
            appeal_rule="no fee for appeals",
            commission=_("the Central Information Commission (for the Government of NCT of Delhi)"),
        ),
        FeeRules(
            code="IN-KA",
            name="Karnataka Right to Information Rules, 2005",
            application_fee=10,
            application_rule="rule 3",
            payment_modes=(
                "cash",
                "demand_draft",
                "bankers_cheque",
                "postal_order",
                "treasury_challan",
            ),
            payee=_("the public authority"),
            copy_fee=_("₹2 a page (A4 or A3); a CD ₹50"),
            copy_rule="rule 4",
            appeal_rule="no fee for appeals",
            commission=_("the Karnataka Information Commission, Bengaluru"),
        ),
        FeeRules(
            code="IN-TN",
            name="Tamil Nadu Right to Information (Fees) Rules, 2005",
            application_fee=10,
            application_rule="rule 3",
            payment_modes=(
                "cash",
                "demand_draft",
                "bankers_cheque",
                "court_fee_stamp",
                "money_order",
                "treasury_challan",
            ),
            payee=_("the public authority"),
            copy_fee=_("₹2 a page (A4 or A3); a CD ₹50; inspection free for the first hour"),
            copy_rule="rule 4",
            appeal_rule="no fee for appeals",
            commission=_("the Tamil Nadu State Information Commission, Chennai"),
        ),
    )
}


def fee_rules_for(agency) -> FeeRules:
    """The rules a public authority's requests fall under: its state's for a state,
    district or city body whose state has rules here; the Central rules otherwise."""
    if agency is None or agency.level == "central":
        return CENTRAL
    return FEE_RULES.get(agency.state_id or "", CENTRAL)


def payment_modes_text(rules: FeeRules) -> list[str]:
    return [str(PAYMENT_MODES[mode]) for mode in rules.payment_modes]
