"""Who applies: the applicant of an application.

The brede SPUK is applied for by a gemeente, acting through its own officers; the SPUK IZA by an IZA-regio,
acting through its mandate holder (a member gemeente, or a public body with linked officers). Everything
that depends on who applies — the name shown, who may act for it, who may read along, which allocation caps
it, whose extension of the deadline counts — asks the applicant, never the `municipality` field directly.
"""

from dataclasses import dataclass
from functools import cached_property

from budgets.selectors import allocation_amounts, region_allocation_amounts
from regions.models import Municipality
from regions.selectors import mandate_holder_on, members_on
from spukportal.permissions import ALLOW, Decision, can_act_for_municipality, deny, officer_municipality_ids


@dataclass(frozen=True)
class MunicipalityApplicant:
    """A gemeente applying for itself (brede SPUK)."""

    municipality: Municipality

    kind = "gemeente"

    @property
    def name(self) -> str:
        return self.municipality.name

    @property
    def code(self) -> str:
        return self.municipality.cbs_code

    @property
    def extension_municipality(self):
        """The gemeente whose extension of the deadline (uitstel) counts for this applicant."""
        return self.municipality

    declaring_members = ()  # a gemeente applies for itself: nobody declares a mandate

    def why_not(self) -> str:
        """Why this applicant cannot apply ('' when it can): a gemeente always can."""
        return ""

    def may_act(self, user) -> Decision:
        """May file, edit, submit and withdraw for this applicant: the gemeente's own officers."""
        return can_act_for_municipality(user, self.municipality)

    def may_read(self, user) -> Decision:
        """May read the application's drafts (without acting): nobody beyond those who may act."""
        return self.may_act(user)

    def allocation_amounts(self, run) -> dict[tuple[int, int], int]:
        """{(component_id, year): euros} this applicant received in the run."""
        return allocation_amounts(run=run, municipality=self.municipality)


@dataclass(frozen=True, eq=False)
class RegionApplicant:
    """An IZA-regio, acting through the mandate holder that holds the mandate on the reference date."""

    region: object  # regions.Region
    reference_date: object  # datetime.date

    kind = "IZA-regio"

    @property
    def name(self) -> str:
        return self.region.name

    @property
    def code(self) -> str:
        return self.region.slug

    @cached_property
    def mandate_holder(self):
        return mandate_holder_on(self.region, self.reference_date)

    @cached_property
    def members(self) -> list:
        """The member gemeenten on the reference date, by name."""
        return list(members_on(self.region, self.reference_date))

    @property
    def declaring_members(self) -> list:
        """The members that must declare that the mandate holder applies for them (all but the holder)."""
        holder = self.mandate_holder
        return [m for m in self.members if holder is None or m.pk != holder.municipality_id]

    @property
    def extension_municipality(self):
        holder = self.mandate_holder
        return holder.municipality if holder else None

    def why_not(self) -> str:
        """Why the region cannot apply ('' when it can)."""
        if self.mandate_holder is None:
            return (f"{self.region.name} heeft op {self.reference_date:%d-%m-%Y} geen mandaathouder; zonder "
                    "mandaathouder kan de regio geen SPUK IZA aanvragen.")
        return ""

    def may_act(self, user) -> Decision:
        """The officers of the mandate holder: of the mandate gemeente, or linked to the public body."""
        holder = self.mandate_holder
        if holder is None:
            return deny(self.why_not())
        if holder.municipality_id is not None:
            if holder.municipality_id in officer_municipality_ids(user):
                return ALLOW
        elif user.is_authenticated and holder.officers.filter(pk=user.pk).exists():
            return ALLOW
        return deny(f"Alleen de mandaathouder van {self.region.name} ({holder.holder_name}) kan de IZA-aanvraag "
                    "van de regio doen.")

    def may_read(self, user) -> Decision:
        """The mandate holder, and the officers of every member gemeente (read-only)."""
        if self.may_act(user) or officer_municipality_ids(user) & {m.pk for m in self.members}:
            return ALLOW
        return deny(f"Alleen gemeenten in {self.region.name} kunnen deze aanvraag inzien.")

    def allocation_amounts(self, run) -> dict[tuple[int, int], int]:
        """{(component_id, year): euros} of the region in the run (the sum of its members' amounts)."""
        return region_allocation_amounts(run=run, region=self.region)
