"""The pool of trainers and their availability are kept up in the admin by the functioneel
beheerder; everything with a workflow changes only through the services and is read-only
here."""

from django.contrib import admin

from .models import AvailabilityException, Tour, Trainer, WeeklyAvailability


class WeeklyInline(admin.TabularInline):
    model = WeeklyAvailability
    extra = 0


class ExceptionInline(admin.TabularInline):
    model = AvailabilityException
    extra = 0


@admin.register(Trainer)
class TrainerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "origin", "is_active"]
    list_filter = ["kind", "origin", "is_active"]
    search_fields = ["name", "email"]
    exclude = ["feed_token_hash", "feed_token_created_at"]
    raw_id_fields = ["user"]
    inlines = [WeeklyInline, ExceptionInline]


@admin.register(Tour)
class TourAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "starts_on", "ends_on"]
