"""The English labels the public side shows that are written outside this app's Python and
templates, marked here so that ``makemessages`` (run inside src/oversight/public) puts them
in the public catalogue and the catalogue translates them: the rule profile's taxonomy labels
(allegation categories, findings, classifications: ``taxonomies.*.labels`` in the profile)
and the precincts (``oversight.cases.models.PRECINCTS``).

The profile and the model stay the one source of each label: ``oversight.labels.public_label``
reads them there and passes them through gettext. This list only tells ``makemessages`` what
to extract; tests/public/test_translations.py fails, naming the lines to add, when a label in
the profile or a precinct is missing here or untranslated.
"""

from django.utils.translation import gettext_noop

PROFILE_LABELS = (
    # taxonomies.allegation_categories.labels
    gettext_noop("Violation of law"),  # law
    gettext_noop("Honesty"),  # honesty
    gettext_noop("Use of force"),  # use_of_force
    gettext_noop("Use-of-force reporting and investigation"),  # use_of_force_reporting
    gettext_noop("Bias-free policing"),  # bias
    gettext_noop("Integrity"),  # integrity
    gettext_noop("Ethics"),  # ethics
    gettext_noop("Professionalism"),  # professionalism
    gettext_noop("Use of position for personal gain"),  # personal_gain
    gettext_noop("Conflict of interest"),  # conflict_of_interest
    gettext_noop("Gifts and gratuities"),  # gifts
    gettext_noop("Off-duty conduct"),  # off_duty
    gettext_noop("Retaliation"),  # retaliation
    gettext_noop("Harassment and discrimination"),  # harassment
    gettext_noop("Handling of complaints"),  # complaint_handling
    gettext_noop("Exercise of discretion"),  # discretion
    gettext_noop("Primary investigation"),  # primary_investigation
    gettext_noop("Stops, detentions and arrests"),  # stops_detentions_arrests
    gettext_noop("Search and seizure"),  # search_seizure
    gettext_noop("Type III force"),  # type_iii_force
    gettext_noop("Courtesy"),  # courtesy
    gettext_noop("Standards and duties"),  # standards_and_duties
    gettext_noop("In-car and body-worn video"),  # in_car_and_body_worn_video
    gettext_noop("Evidence and property"),  # evidence_and_property
    gettext_noop("Vehicle operations"),  # vehicle_operations
    gettext_noop("Equipment and uniform"),  # equipment_and_uniform
    gettext_noop("Timely referral of misconduct"),  # timely_referral
    gettext_noop("Other"),  # other
    # taxonomies.classifications.labels
    gettext_noop("Investigation"),  # investigation
    gettext_noop("Supervisor Action"),  # supervisor_action
    gettext_noop("Mediation"),  # mediation
    gettext_noop("Rapid Adjudication"),  # rapid_adjudication
    gettext_noop("Contact Log"),  # contact_log
    # taxonomies.findings.labels
    gettext_noop("Sustained"),  # sustained
    gettext_noop("Not Sustained: Unfounded"),  # unfounded
    gettext_noop("Not Sustained: Lawful and Proper"),  # lawful_and_proper
    gettext_noop("Not Sustained: Inconclusive"),  # inconclusive
    gettext_noop("Not Sustained: Training Referral"),  # training_referral
    # taxonomies.case_findings.labels
    gettext_noop("Management Action"),  # management_action
)

PRECINCT_LABELS = (
    gettext_noop("North"),  # north
    gettext_noop("East"),  # east
    gettext_noop("South"),  # south
    gettext_noop("West"),  # west
    gettext_noop("Southwest"),  # southwest
)
