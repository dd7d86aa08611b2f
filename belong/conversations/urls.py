from django.urls import path

from belong.conversations import draft_views, views

app_name = "conversations"

c = "c/<slug:slug>/"
thread = f"{c}t/<int:thread_id>/"
post = f"{c}p/<int:post_id>/"
collection = f"{c}collections/<int:collection_id>/"

urlpatterns = [
    path(f"{c}threads/", views.threads, name="threads"),
    path(f"{c}s/<slug:space_slug>/new/", views.new_thread, name="new_thread"),
    path(thread, views.thread_detail, name="thread"),
    path(f"{thread}reply/", views.reply, name="reply"),
    path(f"{thread}follow/", views.follow, name="follow"),
    path(f"{thread}bookmark/", views.bookmark, name="bookmark"),
    path(f"{thread}moderate/", views.moderate, name="moderate"),
    path(f"{thread}close/", views.close_thread, name="close_thread"),
    path(f"{thread}reopen/", views.reopen_thread, name="reopen_thread"),
    path(f"{thread}collect/", views.collect, name="collect"),
    path(f"{post}edit/", views.edit_post, name="edit_post"),
    path(f"{post}revisions/", views.revisions, name="revisions"),
    path(f"{post}delete/", views.delete_post, name="delete_post"),
    path(f"{post}wiki/", views.set_wiki, name="wiki"),
    path(f"{post}accept/", views.accept, name="accept"),
    path(f"{post}react/<str:kind>/", views.react, name="react"),
    path(f"{c}search/", views.search, name="search"),
    path(f"{c}bookmarks/", views.bookmarks, name="bookmarks"),
    path(f"{c}tags/", views.tags, name="tags"),
    path(f"{c}products/", views.products, name="products"),
    path(f"{c}collections/", views.collections, name="collections"),
    path(f"{c}collections/new/", views.new_collection, name="new_collection"),
    path(collection, views.collection_detail, name="collection"),
    path(f"{collection}remove/<int:thread_id>/", views.uncollect, name="uncollect"),
    path(f"{c}drafts/", draft_views.draft_list, name="drafts"),
    path(f"{c}drafts/<int:draft_id>/discard/", draft_views.discard_draft, name="discard_draft"),
    path(f"{c}s/<slug:space_slug>/draft/", draft_views.save_thread_draft, name="save_thread_draft"),
    path(f"{thread}draft/", draft_views.save_reply_draft, name="save_reply_draft"),
]
