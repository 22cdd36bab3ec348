"""Who applies: the applicant of an application.

The brede SPUK is applied for by a gemeente, acting through its own officers; the SPUK IZA by an IZA-regio,
acting through its mandate holder. Everything that depends on who applies — the name shown, who may act for
it, which allocation caps it, whose extension of the deadline counts — asks the applicant, never the
`municipality` field directly. A new kind of applicant is a new class here, not a second flow.
"""

from dataclasses import dataclass

from spukportal.permissions import Decision, can_act_for_municipality


@dataclass(frozen=True)
class MunicipalityApplicant:
    """A gemeente applying for itself (brede SPUK)."""

    municipality: object  # regions.Municipality

    kind = "gemeente"

    @property
    def name(self) -> str:
        return self.municipality.name

    @property
    def code(self) -> str:
        return self.municipality.cbs_code

    def may_act(self, user) -> Decision:
        """May file, edit, submit and withdraw for this applicant: the gemeente's own officers."""
        return can_act_for_municipality(user, self.municipality)

    def allocation_amounts(self, run) -> dict[tuple[int, int], int]:
        """{(component_id, year): euros} this applicant received in the run."""
        from budgets.selectors import allocation_amounts

        return allocation_amounts(run=run, municipality=self.municipality)
