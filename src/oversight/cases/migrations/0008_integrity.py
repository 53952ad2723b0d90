"""Tamper evidence that holds (oversight.cases.integrity): the seals, the read records, the
checkpoints, legal holds and disposals; then every event rehashed under the chain key (HMAC) and
every record that tells a case's story sealed as it stands."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def rehash_and_seal(apps, schema_editor):
    from oversight.cases.integrity import EVENTS_HEAD, GENESIS, event_hash, reseal_all

    CaseEvent = apps.get_model("cases", "CaseEvent")
    ChainHead = apps.get_model("cases", "ChainHead")
    prev = GENESIS
    batch = []
    n = 0
    rows = CaseEvent.objects.order_by("pk").values_list(
        "pk", "case__number", "seq", "type", "date", "data", "recorded_at", "recorded_by__username"
    )
    for pk, number, seq, type_, date, data, at, user in rows.iterator(chunk_size=2000):
        h = event_hash(number, seq, type_, date, data, at, user, prev)
        batch.append(CaseEvent(pk=pk, prev_hash=prev, hash=h))
        prev = h
        n += 1
        if len(batch) >= 2000:
            CaseEvent.objects.bulk_update(batch, ["prev_hash", "hash"])
            batch = []
    if batch:
        CaseEvent.objects.bulk_update(batch, ["prev_hash", "hash"])
    if n:
        ChainHead.objects.update_or_create(id=EVENTS_HEAD, defaults={"last_hash": prev, "count": n})
    reseal_all(apps, schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0007_board_until'),
        ('discipline', '0002_groups'),
        ('oig', '0002_groups'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ChainCheckpoint',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField()),
                ('events', models.PositiveBigIntegerField()),
                ('events_head', models.CharField(max_length=64)),
                ('seals', models.PositiveBigIntegerField()),
                ('seals_head', models.CharField(max_length=64)),
                ('file', models.CharField(max_length=300)),
                ('line', models.TextField()),
            ],
            options={
                'ordering': ['-at', '-pk'],
            },
        ),
        migrations.AlterField(
            model_name='caseevent',
            name='type',
            field=models.CharField(choices=[('complaint_received', 'Complaint received'), ('complaint_initiated', 'Complaint initiated by OPA'), ('should_have_been_referred', 'Should have been referred to OPA'), ('notice_sent', 'Notice sent to named employees'), ('interview_postponed', 'Interview postponed'), ('criminal_pause_started', 'Paused for a criminal investigation'), ('criminal_pause_ended', 'Criminal-investigation pause ended'), ('administrative_step', 'Administrative investigation step taken'), ('director_vacancy', 'OPA Director position vacant'), ('additional_investigation', 'Additional investigation'), ('submitted_to_oig', 'Submitted to OIG for review'), ('oig_certified', 'Certified by OIG'), ('oig_not_certified', 'Not certified by OIG'), ('proposed_findings_issued', 'Proposed findings issued to the Chief'), ('chief_decision', "The Chief's decision"), ('chief_statement_issued', "The Chief's statement of reasons issued"), ('timeline_statement_issued', "The Director's timeline statement issued"), ('discipline_determination_received', 'Final determination received by the employee'), ('appeal_notice_filed', 'Notice of intent to appeal filed'), ('failure_to_refer_determined', 'Deadline found missed for a failure to refer'), ('incident_review_started', 'SPD incident review started'), ('incident_review_completed', 'SPD incident review completed'), ('review_found_potential_misconduct', 'Potential misconduct found in an SPD review'), ('intake_recorded', 'Intake recorded'), ('party_added', 'Person or allegation added'), ('party_changed', 'Person or allegation corrected'), ('note_added', 'Note added'), ('complainant_added', 'The complainant sent more'), ('additions_read', 'What the complainant sent was read'), ('classified', 'Classified'), ('classification_refused', 'Classification refused'), ('routed', 'Routed outside OPA'), ('assigned', 'Investigator assigned'), ('supervisor_action_referred', 'Supervisor Action referred'), ('supervisor_action_reported', 'Supervisor Action report received'), ('notice_generated', 'Notice generated'), ('plan_submitted', 'Investigation plan submitted'), ('plan_approved', 'Investigation plan approved'), ('plan_returned', 'Investigation plan returned'), ('exigent_circumstances', 'Exigent circumstances recorded'), ('interview_recorded', 'Interview recorded'), ('evidence_added', 'Evidence added'), ('subpoena_issued', 'Subpoena issued'), ('subpoena_status', 'Subpoena status changed'), ('case_closed', 'Case closed'), ('failure_to_refer_of', 'Opened for a failure to refer another case'), ('failure_to_refer_opened', 'A failure-to-refer complaint was opened from this case'), ('findings_recommended', 'Findings recommended to the Chief'), ('management_action_issued', 'Management Action issued'), ('management_action_response', "SPD's response to a Management Action"), ('training_reported', 'Training Referral reported'), ('discipline_imposed', 'Discipline imposed'), ('statement_filed', 'Statement filed'), ('leave_without_pay', 'Leave without pay'), ('appeal_filed', 'Appeal filed'), ('appeal_hearing_set', 'Appeal hearing set'), ('appeal_ruling', 'Appeal ruling'), ('appeal_settled', 'Appeal settled'), ('complainant_notified_of_appeal', "Complainant and public told of the appeal's outcome"), ('separation_recorded', 'Separation for cause recorded'), ('separation_documented', 'Separation documentation recorded'), ('access_granted', 'Access granted to a named employee or union')], max_length=48),
        ),
        migrations.CreateModel(
            name='Disposal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('disposed_at', models.DateTimeField()),
                ('earliest_on', models.DateField()),
                ('basis', models.JSONField(default=list)),
                ('disposed', models.JSONField(default=dict)),
                ('reason', models.TextField(blank=True)),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='disposals', to='cases.case')),
                ('disposed_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-disposed_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='LegalHold',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reason', models.TextField()),
                ('placed_at', models.DateTimeField()),
                ('released_at', models.DateTimeField(blank=True, null=True)),
                ('release_reason', models.TextField(blank=True)),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='legal_holds', to='cases.case')),
                ('placed_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('released_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-placed_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='RecordSeal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=64)),
                ('object_id', models.PositiveBigIntegerField()),
                ('fields', models.TextField()),
                ('digest', models.CharField(max_length=64)),
                ('at', models.DateTimeField()),
                ('prev_hash', models.CharField(max_length=64)),
                ('hash', models.CharField(max_length=64, unique=True)),
            ],
            options={
                'ordering': ['pk'],
                'indexes': [models.Index(fields=['kind', 'object_id'], name='seal_record_idx')],
            },
        ),
        migrations.CreateModel(
            name='ReadRecord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField()),
                ('roles', models.CharField(blank=True, max_length=300)),
                ('part', models.CharField(max_length=24)),
                ('outcome', models.CharField(choices=[('shown', 'Shown'), ('refused', 'Refused')], default='shown', max_length=8)),
                ('record', models.CharField(blank=True, max_length=120)),
                ('path', models.CharField(blank=True, max_length=300)),
                ('method', models.CharField(blank=True, max_length=8)),
                ('ip', models.GenericIPAddressField(blank=True, null=True)),
                ('case', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reads', to='cases.case')),
                ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-at', '-pk'],
                'indexes': [models.Index(fields=['at'], name='read_at_idx')],
            },
        ),
        migrations.RunPython(rehash_and_seal, migrations.RunPython.noop),
    ]
