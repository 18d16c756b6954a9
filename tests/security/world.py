"""One of each object a page or endpoint can name, in one program.

Every detail URL of the app gets a real primary key of this program from it;
`name` chooses the text of every name users can import or type, so that the
same program serves the access matrix (plain names), the escaping checks
(hostile names) and the isolation checks (names that say which program).
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import (
    Direction,
    ExchangeRate,
    Holding,
    ImportJob,
    LegacyCompany,
    MatchCandidate,
    MatchDecision,
    Merger,
    Product,
    ProductMapping,
    ProgramMembership,
    Region,
    Segment,
    SourceAccount,
    UnifiedAccount,
    WhitespaceCell,
)
from accounts.services.whitespace import whitespace_rollup_recount
from scorecards.models import (
    Assessment,
    CScore,
    ExportJob,
    IndicatorValue,
    ProgramReview,
    SegmentScore,
    SixC,
)
from tests import factories
from tracker.models import (
    Certification,
    CompPlan,
    CoreWinRate,
    MonthlySnapshot,
    Opportunity,
    Quota,
    Rep,
    SnapshotLine,
    Stage,
    SynergyTarget,
    Team,
)

type Namer = Callable[[str], str]


def plain(kind: str) -> str:
    return kind


@dataclass
class World:
    merger: Merger
    acquirer: LegacyCompany
    acquired: LegacyCompany
    segment: Segment
    region: Region
    account: UnifiedAccount
    other_account: UnifiedAccount
    source: SourceAccount
    other_source: SourceAccount
    product: Product
    other_product: Product
    mapping: ProductMapping
    whitespace: WhitespaceCell
    team: Team
    rep: Rep
    stage: Stage
    opportunity: Opportunity
    quota: Quota
    comp_plan: CompPlan
    core_win_rate: CoreWinRate
    exchange_rate: ExchangeRate
    candidate: MatchCandidate
    decision: MatchDecision
    review: ProgramReview
    holding: Holding
    import_job: ImportJob
    export_job: ExportJob
    snapshot: MonthlySnapshot
    score: CScore
    indicator: IndicatorValue
    segment_score: SegmentScore
    assessment: Assessment
    membership: ProgramMembership
    certification: Certification
    target: SynergyTarget
    # Invited, never signed in: their set-password link stays valid (a sign-in ends it).
    invitee: Any

    @property
    def person(self):
        """The rep's login: people pages name a person by their user id."""
        return self.rep.user

    def pk(self, key: str) -> int:
        return getattr(self, key).pk


def world_build(
    *,
    merger: Merger,
    acquirer: LegacyCompany,
    acquired: LegacyCompany,
    team: Team,
    rep: Rep,
    name: Namer = plain,
) -> World:
    """The program's objects around the given companies, team and rep (who owns the deal)."""
    segment = factories.SegmentFactory(merger=merger, name=name("Segment"))
    region = Region.objects.create(merger=merger, name=name("Region"), countries="DE FR")
    account = factories.UnifiedAccountFactory(
        merger=merger, name=name("Account"), segment=segment, city=name("City")
    )
    source = factories.SourceAccountFactory(
        company=acquirer, unified=account, name=name("Account"), is_customer=True
    )
    other_account = factories.UnifiedAccountFactory(
        merger=merger, name=name("Other account"), segment=segment
    )
    other_source = factories.SourceAccountFactory(
        company=acquired, unified=other_account, name=name("Other account"), is_customer=True
    )
    family = factories.FamilyFactory(company=acquirer, name=name("Family"))
    product = factories.ProductFactory(company=acquirer, family=family, name=name("Product"))
    other_product = factories.ProductFactory(company=acquired, name=name("Other product"))
    holding = factories.HoldingFactory(account=source, product=product)
    mapping = factories.ProductMappingFactory(
        merger=merger, source=product, target=other_product, reason=name("Reason")
    )
    whitespace = WhitespaceCell.objects.create(
        merger=merger,
        account=account,
        product=other_product,
        segment=segment,
        direction=Direction.B_TO_A,
        potential_value=Decimal("30000.00"),
        via=mapping,
    )
    # Totals and heatmap read the rollup, which the whitespace refresh would keep.
    whitespace_rollup_recount(merger_id=merger.pk)
    stage = factories.StageFactory(merger=merger, name=name("Stage"), order=1)
    opportunity = factories.OpportunityFactory(
        merger=merger,
        account=account,
        product=product,
        segment=segment,
        owner=rep,
        stage=stage,
        customer_need=name("Customer need"),
        next_step=name("Next step"),
    )
    month = timezone.localdate().replace(day=1)
    quota = factories.QuotaFactory(rep=rep, period_start=month)
    comp_plan = CompPlan.objects.create(
        merger=merger,
        name=name("Comp plan"),
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31),
        recognition=name("Recognition"),
    )
    comp_plan.reps.add(rep)
    core_win_rate = CoreWinRate.objects.create(
        merger=merger,
        company=acquirer,
        period_start=dt.date(2026, 1, 1),
        won_count=30,
        lost_count=70,
        source=name("Core win rate source"),
        notes=name("Notes"),
    )
    exchange_rate = ExchangeRate.objects.create(
        merger=merger, currency="EUR", month=dt.date(2026, 1, 1), rate=Decimal("1.08")
    )
    candidate = MatchCandidate.objects.create(
        merger=merger,
        left=source,
        right=other_source,
        score=Decimal("80"),
        reasons=[{"code": "name_exact", "points": 80, "params": {"name": name("Account")}}],
    )
    review = ProgramReview.objects.create(
        merger=merger, held_on=dt.date(2026, 3, 31), notes=name("Review notes")
    )
    decision = MatchDecision.objects.create(
        merger=merger,
        candidate=candidate,
        source=other_source,
        action=MatchDecision.Action.REJECT,
        method="manual",
        note=name("Decision note"),
    )
    import_job = ImportJob.objects.create(
        merger=merger,
        company=acquirer,
        kind=ImportJob.Kind.ACCOUNTS,
        original_name=f"{name('File')}.csv",
        status=ImportJob.Status.FAILED,
        errors=[
            {
                "row": 2,
                "column": name("Column"),
                "field": "name",
                "value": name("Value"),
                "message": "Required",
            }
        ],
    )
    export_job = ExportJob.objects.create(
        merger=merger,
        month=month,
        format=ExportJob.Format.CSV,
        status=ExportJob.Status.SUCCEEDED,
        requested_by=rep.user,
    )
    export_job.file.save("scorecard.csv", ContentFile(b"Section\r\n"), save=True)
    snapshot = MonthlySnapshot.objects.create(
        merger=merger, month=dt.date(2026, 3, 1), frozen_at=timezone.now()
    )
    SnapshotLine.objects.create(
        snapshot=snapshot, scope=SnapshotLine.Scope.PROGRAM, key="program", label=name("Line")
    )
    scores = _scores(merger=merger, segment=segment, month=month, author=rep.user, name=name)
    certification = Certification.objects.create(
        rep=rep, product=product, certified_on=dt.date(2026, 2, 1)
    )
    target = SynergyTarget.objects.create(
        merger=merger,
        month=merger.day_one.replace(day=1),
        segment=segment,
        cross_sell=Decimal("10000.00"),
    )
    invitee = factories.UserFactory(username=name("invitee"), first_name=name("Invitee"))
    invitee.set_unusable_password()
    invitee.save()
    ProgramMembership.objects.create(merger=merger, user=invitee)
    return World(
        **scores,
        invitee=invitee,
        membership=ProgramMembership.objects.get(merger=merger, user=rep.user),
        certification=certification,
        target=target,
        merger=merger,
        acquirer=acquirer,
        acquired=acquired,
        segment=segment,
        region=region,
        account=account,
        other_account=other_account,
        source=source,
        other_source=other_source,
        product=product,
        other_product=other_product,
        mapping=mapping,
        whitespace=whitespace,
        team=team,
        rep=rep,
        stage=stage,
        opportunity=opportunity,
        quota=quota,
        comp_plan=comp_plan,
        core_win_rate=core_win_rate,
        exchange_rate=exchange_rate,
        candidate=candidate,
        decision=decision,
        review=review,
        holding=holding,
        import_job=import_job,
        export_job=export_job,
        snapshot=snapshot,
    )


def _scores(*, merger: Merger, segment: Segment, month: dt.date, author, name: Namer) -> dict:
    now = timezone.now()
    c = SixC.COMMITMENT
    return {
        "score": CScore.objects.create(
            merger=merger,
            segment=segment,
            month=month,
            c=c,
            computed=Decimal("3"),
            score=Decimal("3"),
            explanation=name("Explanation"),
            weakest_code="reviews_held",
            weakest_value=Decimal("1"),
            weakest_score=Decimal("3"),
            computed_at=now,
        ),
        "indicator": IndicatorValue.objects.create(
            merger=merger,
            segment=segment,
            month=month,
            c=c,
            code="reviews_held",
            label=name("Indicator"),
            value=Decimal("1"),
            score=Decimal("3"),
            source=name("Source"),
        ),
        "segment_score": SegmentScore.objects.create(
            merger=merger,
            segment=segment,
            month=month,
            composite=Decimal("3"),
            strong_count=1,
            scored_count=1,
            computed_at=now,
        ),
        "assessment": Assessment.objects.create(
            merger=merger,
            segment=segment,
            month=month,
            c=c,
            mode=Assessment.Mode.ADJUST,
            score=Decimal("1"),
            evidence=name("Evidence"),
            author=author,
        ),
    }
