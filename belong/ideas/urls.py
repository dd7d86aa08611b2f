from django.urls import path

from belong.ideas import views

app_name = "ideas"

c = "c/<slug:slug>/"
ideas = f"{c}ideas/"
idea = f"{ideas}<int:idea_id>/"
board_settings = f"{ideas}settings/"
beta = f"{c}beta/"
invitation = f"{beta}invitations/<int:invitation_id>/"

urlpatterns = [
    path(ideas, views.board, name="board"),
    path(f"{ideas}new/", views.new_idea, name="new"),
    path(f"{ideas}similar/", views.similar, name="similar"),
    path(f"{ideas}roadmap/", views.roadmap, name="roadmap"),
    path(f"{ideas}changelog/", views.changelog, name="changelog"),
    path(board_settings, views.board_settings, name="board_settings"),
    path(f"{board_settings}statuses/", views.add_status, name="add_status"),
    path(f"{board_settings}statuses/<slug:key>/", views.update_status, name="update_status"),
    path(f"{board_settings}statuses/<slug:key>/delete/", views.delete_status, name="delete_status"),
    path(f"{board_settings}categories/", views.add_category, name="add_category"),
    # Category addresses may be Cyrillic (slugified with allow_unicode), which <slug:> refuses.
    path(f"{board_settings}categories/<str:category_slug>/", views.update_category, name="update_category"),
    path(f"{board_settings}categories/<str:category_slug>/delete/", views.delete_category, name="delete_category"),
    path(idea, views.idea_detail, name="detail"),
    path(f"{idea}edit/", views.edit_idea, name="edit"),
    path(f"{idea}vote/", views.vote, name="vote"),
    path(f"{idea}unvote/", views.unvote, name="unvote"),
    path(f"{idea}status/", views.change_status, name="status"),
    path(f"{idea}merge/", views.merge, name="merge"),
    path(f"{idea}voters/", views.voters, name="voters"),
    path(beta, views.beta_groups, name="beta_groups"),
    path(f"{beta}new/", views.new_beta_group, name="new_beta_group"),
    path(f"{beta}<int:group_id>/", views.beta_group, name="beta_group"),
    path(f"{beta}<int:group_id>/invite/", views.beta_invite, name="beta_invite"),
    path(invitation, views.beta_invitation, name="beta_invitation"),
    path(f"{invitation}remove/", views.beta_remove, name="beta_remove"),
]
