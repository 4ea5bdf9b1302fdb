"""The knowledge base and the community forums: solutions and discussions.

Solutions: categories → folders (`solutions/categories/{id}/folders`), a few folders with
sub-folders (`solutions/folders/{id}/subfolders`, each with `parent_folder_id`) → articles
(`solutions/folders/{id}/articles`). Discussions: categories → forums → topics → comments.
One folder, one forum and one topic hold more than a page at per_page=100, so a tap must follow
the Link header below a parent too. Forums carry their parent as `forum_category_id` (the API's
name); a tap that wants `category_id` adds it.
"""

from __future__ import annotations

from tests.simulator.clock import stamp_at
from tests.simulator.data import Factory
from tests.simulator.fields import WORDS
from tests.simulator.seeded import rng_for, sentence, sometimes
from tests.simulator.tables import Record, Tables, spread

SOLUTION_CATEGORY_ID_BASE = 44_000_100_000
SOLUTION_FOLDER_ID_BASE = 44_000_200_000
SOLUTION_ARTICLE_ID_BASE = 44_000_300_000
DISCUSSION_CATEGORY_ID_BASE = 44_000_400_000
DISCUSSION_FORUM_ID_BASE = 44_000_500_000
DISCUSSION_TOPIC_ID_BASE = 44_000_600_000
DISCUSSION_COMMENT_ID_BASE = 44_000_700_000
PORTAL_ID = 44_000_000_001


def parent_of(number: int, long: int, parents: int) -> int:
    """Return the parent (1-based) of child `number`.

    The first `long` go to parent 1, the rest round robin over the other parents (or parent 1
    when it is the only one).
    """
    if number <= long or parents <= 1:
        return 1
    return 2 + (number - long - 1) % (parents - 1)


class Knowledge(Tables):
    """Solution categories, folders (sub-folders included) and articles; discussions.

    Discussions are categories, forums, topics and comments.
    """

    def __init__(self, seed: int, sizes: dict[str, int], factory: Factory) -> None:
        self.seed = seed
        self.sizes = sizes
        self.factory = factory
        super().__init__(self._everything)

    def _everything(self) -> dict[str, list[Record]]:
        return {**self._solutions(), **self._discussions()}

    # Solutions

    def _solutions(self) -> dict[str, list[Record]]:
        sizes = self.sizes
        categories = [
            self._solution_category(n) for n in range(1, sizes["solution_categories"] + 1)
        ]
        tops = sizes["solution_folders"] if categories else 0
        subs = sizes["solution_subfolders"] if tops else 0
        folders = [
            self._folder(n, categories[(n - 1) % len(categories)], None) for n in range(1, tops + 1)
        ]
        for m in range(1, subs + 1):
            parent = folders[parent_of(m, 0, tops) - 1]
            category = next(c for c in categories if c["id"] == parent["category_id"])
            folders.append(self._folder(tops + m, category, parent))
        for folder in folders:
            folder["hierarchy"] = _hierarchy(folder, categories, folders)
        count = sizes["solution_articles"] if folders else 0
        articles = []
        for n in range(1, count + 1):
            folder = folders[parent_of(n, sizes["long_folder_articles"], len(folders)) - 1]
            articles.append(self._article(n, folder, categories, folders))
        for folder in folders:
            folder["articles_count"] = sum(a["folder_id"] == folder["id"] for a in articles)
            folder["sub_folders_count"] = sum(
                f["parent_folder_id"] == folder["id"] for f in folders
            )
        return {
            "solution_categories": categories,
            "solution_folders": folders,
            "solution_articles": articles,
        }

    def _times(self, stream: str, number: int, count: int) -> dict[str, str]:
        updated = spread(number, count)
        created = updated - rng_for(self.seed, f"{stream}/created", number).randint(0, 20 * 86_400)
        return {"created_at": stamp_at(max(0, created)), "updated_at": stamp_at(updated)}

    def _solution_category(self, number: int) -> Record:
        rng = rng_for(self.seed, "solution_categories", number)
        return {
            "id": SOLUTION_CATEGORY_ID_BASE + number,
            "name": "General" if number == 1 else f"{rng.choice(WORDS).capitalize()} guides",
            "description": sometimes(rng, sentence(rng, 6), 0.3),
            "visible_in_portals": [PORTAL_ID],
            "icon": {},
            **self._times("solution_categories", number, self.sizes["solution_categories"]),
        }

    def _folder(self, number: int, category: Record, parent: Record | None) -> Record:
        rng = rng_for(self.seed, "solution_folders", number)
        visibility = rng.choice((1, 1, 1, 2, 3, 4))
        count = self.sizes["solution_folders"] + self.sizes["solution_subfolders"]
        return {
            "id": SOLUTION_FOLDER_ID_BASE + number,
            "name": f"{rng.choice(WORDS).capitalize()} {'how-tos' if parent else 'articles'}",
            "description": sometimes(rng, sentence(rng, 6), 0.3),
            "visibility": visibility,
            "category_id": category["id"],
            "parent_folder_id": parent["id"] if parent else None,
            "articles_count": 0,
            "sub_folders_count": 0,
            "hierarchy": [],
            "icon_url": None,
            **self._times("solution_folders", number, count),
        }

    def _article(
        self, number: int, folder: Record, categories: list[Record], folders: list[Record]
    ) -> Record:
        rng = rng_for(self.seed, "solution_articles", number)
        title = sentence(rng, 5)
        body = sentence(rng, 30)
        category = next(c for c in categories if c["id"] == folder["category_id"])
        hierarchy = folder["hierarchy"]
        published = rng.random() < 0.85
        return {
            "id": SOLUTION_ARTICLE_ID_BASE + number,
            "type": rng.choice((1, 1, 1, 2)),
            "category_id": category["id"],
            "folder_id": folder["id"],
            "hierarchy": hierarchy,
            "thumbs_up": rng.randint(0, 40),
            "thumbs_down": rng.randint(0, 10),
            "hits": rng.randint(0, 5000),
            "suggested": rng.randint(0, 50),
            "feedback_count": rng.randint(0, 5),
            "title": title,
            "description": f"<p>{body}</p>",
            "description_text": body,
            "seo_data": {
                "meta_title": sometimes(rng, title, 0.5),
                "meta_description": sometimes(rng, sentence(rng, 8), 0.5),
                "meta_keywords": sometimes(rng, ",".join(rng.sample(WORDS, 3)), 0.6),
            },
            "tags": rng.sample(WORDS, rng.choice((0, 1, 2))),
            "attachments": [],
            "cloud_files": [],
            "status": 2 if published else 1,
            "agent_id": self.factory.agent_ref(rng),
            **self._times("solution_articles", number, self.sizes["solution_articles"]),
        }

    # Discussions

    def _discussions(self) -> dict[str, list[Record]]:
        sizes = self.sizes
        categories = [
            self._discussion_category(n) for n in range(1, sizes["discussion_categories"] + 1)
        ]
        forum_count = sizes["discussion_forums"] if categories else 0
        forums = [
            self._forum(n, categories[(n - 1) % len(categories)]) for n in range(1, forum_count + 1)
        ]
        topic_count = sizes["discussion_topics"] if forums else 0
        topics = [
            self._topic(n, forums[parent_of(n, sizes["long_forum_topics"], len(forums)) - 1])
            for n in range(1, topic_count + 1)
        ]
        comment_count = sizes["discussion_comments"] if topics else 0
        comments = [
            self._comment(n, topics[parent_of(n, sizes["long_topic_comments"], len(topics)) - 1])
            for n in range(1, comment_count + 1)
        ]
        for topic in topics:
            own = [c for c in comments if c["topic_id"] == topic["id"]]
            topic["comments_count"] = len(own)
            if own:
                last = max(own, key=lambda c: (c["created_at"], c["id"]))
                topic["replied_by"] = last["user_id"]
                topic["replied_at"] = last["created_at"]
        for forum in forums:
            own_topics = [t for t in topics if t["forum_id"] == forum["id"]]
            forum["topics_count"] = len(own_topics)
            forum["comments_count"] = sum(t["comments_count"] for t in own_topics)
        return {
            "discussion_categories": categories,
            "discussion_forums": forums,
            "discussion_topics": topics,
            "discussion_comments": comments,
        }

    def _discussion_category(self, number: int) -> Record:
        rng = rng_for(self.seed, "discussion_categories", number)
        return {
            "id": DISCUSSION_CATEGORY_ID_BASE + number,
            "name": "Community" if number == 1 else f"{rng.choice(WORDS).capitalize()} talk",
            "description": sometimes(rng, sentence(rng, 6), 0.3),
            **self._times("discussion_categories", number, self.sizes["discussion_categories"]),
        }

    def _forum(self, number: int, category: Record) -> Record:
        rng = rng_for(self.seed, "discussion_forums", number)
        visibility = rng.choice((1, 1, 2, 3, 4))
        return {
            "id": DISCUSSION_FORUM_ID_BASE + number,
            "name": f"{rng.choice(WORDS).capitalize()} forum {number}",
            "description": sometimes(rng, sentence(rng, 6), 0.3),
            "position": number,
            "forum_category_id": category["id"],
            "forum_type": rng.choice((1, 2, 3, 4)),
            "forum_visibility": visibility,
            "topics_count": 0,
            "comments_count": 0,
        }

    def _topic(self, number: int, forum: Record) -> Record:
        rng = rng_for(self.seed, "discussion_topics", number)
        times = self._times("discussion_topics", number, self.sizes["discussion_topics"])
        return {
            "id": DISCUSSION_TOPIC_ID_BASE + number,
            "title": sentence(rng, 6) + "?",
            "forum_id": forum["id"],
            "user_id": self.factory.contact_ref(rng),
            "locked": rng.random() < 0.1,
            "sticky": rng.random() < 0.05,
            "published": rng.random() < 0.95,
            "stamp_type": sometimes(rng, rng.choice((1, 2, 3, 4, 5, 6, 7)), 0.5),
            "merged_topic_id": None,
            "replied_by": None,
            "replied_at": None,
            "hits": rng.randint(0, 2000),
            "user_votes": rng.randint(0, 30),
            "comments_count": 0,
            **times,
        }

    def _comment(self, number: int, topic: Record) -> Record:
        rng = rng_for(self.seed, "discussion_comments", number)
        body = sentence(rng, 14)
        seconds = spread(number, self.sizes["discussion_comments"])
        return {
            "id": DISCUSSION_COMMENT_ID_BASE + number,
            "body": f"<p>{body}</p>",
            "body_text": body,
            "topic_id": topic["id"],
            "forum_id": topic["forum_id"],
            "user_id": self.factory.agent_ref(rng)
            if rng.random() < 0.3
            else self.factory.contact_ref(rng),
            "answer": rng.random() < 0.05,
            "published": True,
            "spam": False,
            "trash": False,
            "created_at": stamp_at(seconds),
            "updated_at": stamp_at(seconds + rng.choice((0, 0, 0, 3600))),
        }

    # Lists below a parent; None when the parent does not exist (404)

    def solution_folders(self, category_id: int) -> list[Record] | None:
        """Return the top-level folders of a category; None when it does not exist."""
        if not self.exists("solution_categories", category_id):
            return None
        folders = self.where("solution_folders", "category_id", category_id)
        return [folder_as_listed(f) for f in folders if f["parent_folder_id"] is None]

    def solution_subfolders(self, folder_id: int) -> list[Record] | None:
        """Return the sub-folders of a folder; None when it does not exist."""
        if not self.exists("solution_folders", folder_id):
            return None
        return [
            folder_as_listed(f)
            for f in self.where("solution_folders", "parent_folder_id", folder_id)
        ]

    def solution_articles(self, folder_id: int) -> list[Record] | None:
        """Return the articles of a folder; None when it does not exist."""
        if not self.exists("solution_folders", folder_id):
            return None
        return self.where("solution_articles", "folder_id", folder_id)

    def discussion_forums(self, category_id: int) -> list[Record] | None:
        """Return the forums of a category; None when it does not exist."""
        if not self.exists("discussion_categories", category_id):
            return None
        return self.where("discussion_forums", "forum_category_id", category_id)

    def discussion_topics(self, forum_id: int) -> list[Record] | None:
        """Return the topics of a forum; None when it does not exist."""
        if not self.exists("discussion_forums", forum_id):
            return None
        return self.where("discussion_topics", "forum_id", forum_id)

    def discussion_comments(self, topic_id: int) -> list[Record] | None:
        """Return the comments of a topic; None when it does not exist."""
        if not self.exists("discussion_topics", topic_id):
            return None
        return self.where("discussion_comments", "topic_id", topic_id)


def _hierarchy(folder: Record, categories: list[Record], folders: list[Record]) -> list[Record]:
    """Return the path from the category down to `folder`, as real folders and articles carry it."""
    chain = [folder]
    while chain[0]["parent_folder_id"] is not None:
        chain.insert(0, next(f for f in folders if f["id"] == chain[0]["parent_folder_id"]))
    category = next(c for c in categories if c["id"] == folder["category_id"])
    return [
        {
            "level": level,
            "type": kind,
            "data": {"id": item["id"], "name": item["name"], "language": "en"},
        }
        for level, (kind, item) in enumerate(
            [("category", category), *(("folder", f) for f in chain)]
        )
    ]


def folder_as_listed(folder: Record) -> Record:
    """Return a folder as the folder lists serve it: without `category_id`.

    The category is named only in the folder's `hierarchy`: real folders carry no
    `category_id` (NangoHQ/integration-templates integrations/freshdesk/types.ts,
    `FreshdeskFolder`; askasoft/pango sdk/fdk/freshdesk/folder.go, `Folder`, both written
    against the API reference's "View a Solution Folder"). The table keeps it to tie folders
    to categories, and the tap adds it from the category it listed.
    """
    return {key: value for key, value in folder.items() if key != "category_id"}
