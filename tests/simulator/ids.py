"""The account's id spaces, one base per stream, as real accounts number their records."""

from __future__ import annotations

# Id spaces. Tickets are numbered 1..n (Freshdesk's display ids); people and companies carry the
# large ids real accounts have, past 2**32, so a tap storing them in 32 bits breaks here.
AGENT_ID_BASE = 43_000_000_000
CONTACT_ID_BASE = 47_000_000_000
COMPANY_ID_BASE = 5_000_000_000
GROUP_ID_BASE = 43_000_500_000
ROLE_ID_BASE = 43_000_600_000
CONVERSATION_ID_BASE = 60_000_000_000
ADDED_CONVERSATION_ID_BASE = 69_000_000_000
TIME_ENTRY_ID_BASE = 70_000_000_000
RATING_ID_BASE = 80_000_000_000
SURVEY_ID = 43_000_000_777

# The helpdesk's configuration streams (helpdesk.py).
PRODUCT_ID_BASE = 43_000_900_000
EMAIL_CONFIG_ID_BASE = 43_000_800_000
MAILBOX_ID_BASE = 43_000_810_000
BUSINESS_HOUR_ID_BASE = 43_000_850_000
SLA_POLICY_ID_BASE = 43_000_860_000
SKILL_ID_BASE = 43_000_870_000
SCENARIO_ID_BASE = 43_000_880_000
CANNED_FOLDER_ID_BASE = 43_000_890_000
CANNED_RESPONSE_ID_BASE = 43_001_000_000
AUTOMATION_RULE_ID_BASE = 43_001_100_000
#: Form 1 is the one tickets' `form_id` (43_000_950_001) names.
TICKET_FORM_ID_BASE = 43_000_950_000
