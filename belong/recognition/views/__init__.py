"""Recognition's pages, one module per part: points and leaderboards, badges, trust, ranks and perks,
celebrations, the programme, and a member's recognition profile."""
