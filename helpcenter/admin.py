"""Categories and sections are set up here; articles are written, proposed and
published in the agent workspace (/help/staff/), where revisions and slugs are kept."""

from django.contrib import admin

from helpcenter.models import ArticleVote, Category, SearchLog, Section


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0
    fields = ["slug", "position", "name_en", "name_de", "name_tr"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_de", "name_tr", "slug", "position"]
    prepopulated_fields = {"slug": ["name_en"]}
    inlines = [SectionInline]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name_en", "category", "slug", "position"]
    list_filter = ["category"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(ArticleVote)
class ArticleVoteAdmin(admin.ModelAdmin):
    """Votes are the visitors' own: read only."""

    list_display = ["article", "language", "helpful", "updated_at"]
    list_filter = ["helpful", "language"]
    readonly_fields = [f.name for f in ArticleVote._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(SearchLog)
class SearchLogAdmin(admin.ModelAdmin):
    list_display = ["term", "language", "results", "created_at"]
    list_filter = ["language"]
    search_fields = ["term"]
    readonly_fields = ["term", "language", "results", "created_at"]

    def has_add_permission(self, request) -> bool:
        return False
