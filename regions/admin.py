from django.contrib import admin

from spukportal.admin_audit import AuditedAdminMixin

from .models import MandateHolder, Municipality, MunicipalityStatistics, Region, RegionMembership


class StatisticsInline(admin.TabularInline):
    model = MunicipalityStatistics
    extra = 0


@admin.register(Municipality)
class MunicipalityAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "cbs_code", "province", "kvk_number")
    list_filter = ("province", "eherkenning_creates_accounts")
    search_fields = ("name", "cbs_code", "kvk_number", "oin")
    inlines = [StatisticsInline]
    fieldsets = [
        (None, {"fields": ("cbs_code", "name", "province")}),
        ("Postadres (voor brieven zoals de beschikking)", {"fields": ("postal_address", "postal_code", "postal_city")}),
        ("eHerkenning", {"fields": ("kvk_number", "oin", "eherkenning_creates_accounts")}),
    ]


class MembershipInline(admin.TabularInline):
    model = RegionMembership
    extra = 0
    autocomplete_fields = ("municipality",)


class MandateHolderInline(admin.TabularInline):
    model = MandateHolder
    extra = 0
    autocomplete_fields = ("municipality",)


@admin.register(Region)
class RegionAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("name",)
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}
    inlines = [MandateHolderInline, MembershipInline]
