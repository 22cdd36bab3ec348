from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse

from . import services
from .models import ApiToken


class ApiTokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["name", "scope", "municipality"]

    def clean(self):
        data = super().clean()
        scope, municipality = data.get("scope"), data.get("municipality")
        if scope == ApiToken.Scope.MUNICIPALITY and municipality is None:
            self.add_error("municipality", "Kies de gemeente waarvoor deze token leest.")
        if scope == ApiToken.Scope.MINISTRY and municipality is not None:
            self.add_error("municipality", "Een token van het ministerie hoort niet bij één gemeente: laat dit leeg.")
        return data


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Made here (the token is shown once, on the page after saving), revoked with the list action; never
    changed or deleted, so the audit trail keeps pointing at it."""

    form = ApiTokenForm
    list_display = ("name", "scope", "municipality", "prefix", "created_at", "created_by", "revoked_at",
                    "last_used_at")
    list_filter = ("scope", ("revoked_at", admin.EmptyFieldListFilter))
    search_fields = ("name", "prefix", "municipality__name", "municipality__cbs_code")
    autocomplete_fields = ("municipality",)
    readonly_fields = ("prefix", "created_at", "created_by", "revoked_at", "revoked_by", "last_used_at")
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        return ["name", "scope", "municipality"] + ([] if obj is None else list(self.readonly_fields))

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        token, key = services.api_token_create(actor=request.user, name=obj.name, scope=obj.scope,
                                               municipality=obj.municipality)
        obj.pk = token.pk
        request._api_token_key = key

    def response_add(self, request, obj, post_url_continue=None):
        return TemplateResponse(request, "admin/api/apitoken/created.html", {
            **self.admin_site.each_context(request), "token": obj, "key": request._api_token_key,
            "opts": self.model._meta, "title": "API-token aangemaakt"})

    @admin.action(description="Geselecteerde API-tokens intrekken")
    def revoke(self, request, queryset):
        count = 0
        for token in queryset.filter(revoked_at__isnull=True):
            services.api_token_revoke(actor=request.user, token=token)
            count += 1
        self.message_user(request, f"{count} API-token(s) ingetrokken.", messages.SUCCESS)
