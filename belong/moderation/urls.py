from django.urls import path

from belong.moderation import views, views_members, views_threads

app_name = "moderation"

c = "c/<slug:slug>/"
m = f"{c}moderation/"

urlpatterns = [
    path(f"{c}my-record/", views.record, name="record"),
    path(f"{c}my-record/<int:entry_id>/appeal/", views.appeal, name="appeal"),
    path(f"{c}rules/", views.rules, name="rules"),
    path(f"{c}rules/accept/", views.accept_rules, name="accept_rules"),
    path(m, views.queue, name="queue"),
    path(f"{m}items/<int:item_id>/", views.item, name="item"),
    path(f"{m}items/<int:item_id>/claim/", views.claim, name="claim"),
    path(f"{m}items/<int:item_id>/release/", views.release, name="release"),
    path(f"{m}items/<int:item_id>/decide/", views.decide, name="decide"),
    path(f"{m}log/", views.log, name="log"),
    path(f"{m}appeals/", views.appeals, name="appeals"),
    path(f"{m}appeals/<int:appeal_id>/decide/", views.decide_appeal, name="decide_appeal"),
    path(f"{m}rules/", views.manage_rules, name="manage_rules"),
    path(f"{m}rules/add/", views.add_rule, name="add_rule"),
    path(f"{m}rules/<int:rule_id>/", views.update_rule, name="update_rule"),
    path(f"{m}rules/<int:rule_id>/remove/", views.remove_rule, name="remove_rule"),
    path(f"{m}rules/<int:rule_id>/move/", views.move_rule, name="move_rule"),
    path(f"{m}settings/", views.update_settings, name="update_settings"),
    # The thread page's moderation tools and the member moderation page (views_threads, views_members).
    path(f"{c}p/<int:post_id>/flag/", views_threads.flag_post, name="flag_post"),
    path(f"{c}p/<int:post_id>/hide/", views_threads.hide_post, name="hide_post"),
    path(f"{c}p/<int:post_id>/show/", views_threads.show_post, name="show_post"),
    path(f"{c}t/<int:thread_id>/move/", views_threads.move_thread, name="move_thread"),
    path(f"{c}t/<int:thread_id>/merge/", views_threads.merge_thread, name="merge_thread"),
    path(f"{c}t/<int:thread_id>/split/", views_threads.split_thread, name="split_thread"),
    path(f"{m}members/<str:handle>/", views_members.member_detail, name="member"),
    path(f"{m}members/<str:handle>/note/", views_members.add_note, name="member_note"),
    path(f"{m}members/<str:handle>/<str:verb>/", views_members.member_action, name="member_action"),
]
