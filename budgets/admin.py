"""Read-only views for administrators. Budgets, keys and runs are changed only through the portal's services
(versioned, audited); components come from budgets/components.py with the GALA texts."""

from django.contrib import admin

from .models import AllocationReport, AllocationRun, BudgetLine, BudgetVersion, Component, DistributionKey, \
    FixedAmount, KeyFactor


class ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnly, admin.ModelAdmin):
    pass


class ReadOnlyInline(ReadOnly, admin.TabularInline):
    extra = 0


@admin.register(Component)
class ComponentAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "regulation", "theme", "is_mandatory", "is_total")
    list_filter = ("regulation", "theme")


class BudgetLineInline(ReadOnlyInline):
    model = BudgetLine


@admin.register(BudgetVersion)
class BudgetVersionAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "based_on", "source_date")
    inlines = [BudgetLineInline]


class KeyFactorInline(ReadOnlyInline):
    model = KeyFactor


class FixedAmountInline(ReadOnlyInline):
    model = FixedAmount


@admin.register(DistributionKey)
class DistributionKeyAdmin(ReadOnlyAdmin):
    list_display = ("name", "reference_year", "is_default", "created_at")
    inlines = [KeyFactorInline, FixedAmountInline]


@admin.register(AllocationRun)
class AllocationRunAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "regulation", "status", "progress", "created_at", "finished_at", "attempts")
    list_filter = ("kind", "regulation", "status")
    exclude = ("input_snapshot",)


@admin.register(AllocationReport)
class AllocationReportAdmin(ReadOnlyAdmin):
    list_display = ("run", "format", "status", "created_at", "finished_at")
    list_filter = ("format", "status")


from .ledger.models import LedgerEntry  # noqa: E402


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    """The grant ledger, read-only: entries are booked by the portal's services and never changed."""

    list_display = ("pk", "municipality", "region", "regulation", "year", "line", "kind", "amount", "booked_on",
                    "source_kind", "source_id", "reverses")
    list_filter = ("regulation", "kind", "year", "source_kind")
    search_fields = ("municipality__name", "region__name")
