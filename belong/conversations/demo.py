"""The demo's conversations: products, tags, and threads of every kind in the four languages of Ponte.

Everything goes through the actions, like real use. Each step finds what an earlier run made (a
product or tag by its address, a thread by its title, a collection by its owner and title) and only
adds what is missing, so loading the demo twice adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from belong.communities.models import Space
from belong.conversations import actions
from belong.conversations.models import (
    Bookmark,
    Collection,
    CollectionItem,
    Follow,
    Post,
    Product,
    ReactionKind,
    Tag,
    Thread,
    ThreadKind,
)
from belong.core.richtext import quote_markdown
from belong.demo.loader import DemoContext, demo_step

# --- The data -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProductData:
    slug: str
    name: str
    description: str


@dataclass(frozen=True)
class ReplyData:
    """A reply; `to` is the position of the post it answers (0: the opening post), quoted when `quote`."""

    author: str
    body: str
    to: int | None = None
    quote: bool = False


@dataclass(frozen=True)
class ThreadData:
    title: str
    space: str
    author: str
    kind: str
    body: str
    language: str
    product: str | None = None
    rating: int | None = None
    tags: tuple[str, ...] = ()
    replies: tuple[ReplyData, ...] = ()
    # Position of the accepted reply (1 is the first reply) and who accepts it.
    accepted: int | None = None
    accepted_by: str | None = None
    # (position of the post, who reacts, how)
    reactions: tuple[tuple[int, str, str], ...] = ()
    pinned_by: str | None = None
    # A later edit of the opening post by its author (the old text stays in the history).
    edit: str | None = None


PRODUCTS: tuple[ProductData, ...] = (
    ProductData(
        "sidama-natural",
        "Sidama Natural, Ethiopia",
        "Dried in the cherry on raised beds at 2,100 m. Blueberry, dark chocolate and a long, winey finish.",
    ),
    ProductData(
        "huila-washed",
        "Huila Washed, Colombia",
        "From the Ruiz family's farm near Pitalito. Red apple, panela and a clean, bright acidity.",
    ),
    ProductData(
        "cerrado-mineiro",
        "Cerrado Mineiro, Brazil",
        "Pulped natural from Minas Gerais. Hazelnut, milk chocolate and a heavy body that loves milk.",
    ),
    ProductData(
        "ponte-espresso",
        "Ponte House Espresso",
        "Our everyday blend of Cerrado and Huila, roasted for espresso and milk drinks.",
    ),
    ProductData(
        "ponte-hand-grinder",
        "Ponte Hand Grinder",
        "A 38 mm conical steel burr hand grinder with 40 clicks per turn, built with a small workshop in Porto.",
    ),
)

# Defined by the community managers; members add free ones (from trust level 1) as they post.
OFFICIAL_TAGS: tuple[str, ...] = ("Espresso", "Filter", "Grinders", "Shipping", "New lot", "Events")

MANAGER = "hannah"

THREADS: tuple[ThreadData, ...] = (
    # --- Announcements and calls for feedback, from the roastery -------------------------------
    ThreadData(
        title="New lot: Sidama Natural is on the roaster",
        space="announcements",
        author="hannah",
        kind=ThreadKind.ANNOUNCEMENT,
        language="en",
        tags=("new-lot", "filter"),
        body=(
            "Our first natural from Sidama in two years arrived in Porto last week, and João roasted the first "
            "batches on Monday.\n\n"
            "- **Tasting notes:** blueberry, dark chocolate, a winey finish\n"
            "- **Roast:** light, for filter; rest it 7–10 days\n"
            "- **Ships:** from Thursday, to every country we deliver to\n\n"
            "Tell us how it tastes in your cup — reviews get a reply from the roastery."
        ),
        replies=(
            ReplyData("tom.h", "Ordered two bags. Doing a side-by-side with the Huila on Sunday's cupping call."),
            ReplyData("nadya", "Най-после! Чаках този натурален лот цяла зима. Ще има ли и в 1 кг опаковка?"),
            ReplyData(
                "georgi",
                "Да, Надя — 1 кг пликове ще има от следващата седмица, и за България доставката остава 3–4 дни.",
                to=2,
            ),
        ),
        reactions=((0, "emily.c", ReactionKind.LIKE), (0, "lucas.brew", ReactionKind.LOVE), (3, "nadya", "helpful")),
        pinned_by="hannah",
    ),
    ThreadData(
        title="Tell us: which origin should we roast next winter?",
        space="announcements",
        author="hannah",
        kind=ThreadKind.CALL_TO_ACTION,
        language="en",
        body=(
            "We are planning next winter's line-up and want your voice before we buy green coffee. Which origin "
            "would you like to see, and how would you brew it? Reply in your own language — we read them all."
        ),
        replies=(
            ReplyData("priya.n", "A washed Kenyan, please! Something with blackcurrant that stands up to a V60."),
            ReplyData(
                "rafa.souza",
                "Que tal um café de Minas processado por fermentação anaeróbica? Seria ótimo provar algo novo do Brasil.",
            ),
            ReplyData("maria.g", "Бих искала нещо от Руанда или Бурунди — светло печено, за филтър."),
            ReplyData("elmarie.j", "Iets sag vir melk, asseblief. 'n Brasiliaanse koffie werk goed in my huis."),
            ReplyData(
                "camila.origem", "Anotado, Rafa! Estou em Minas este mês e vou provar dois lotes anaeróbicos.", 2
            ),
        ),
        reactions=((1, "jack.t", ReactionKind.AGREE), (1, "oli.b", ReactionKind.AGREE), (2, "lucas.brew", "like")),
    ),
    ThreadData(
        title="Proe-aand in Kaapstad: Saterdag 14 Junie",
        space="koffiekring",
        author="zoe.vdm",
        kind=ThreadKind.ANNOUNCEMENT,
        language="af",
        tags=("events",),
        body=(
            "Ons hou ons volgende proe-aand by die Kloofstraat-koffiekroeg, Saterdag 14 Junie om 17:00. Ons proe "
            "die nuwe Sidama en die Huila langs mekaar. Bring 'n vriend — die koffie is op ons!"
        ),
        replies=(
            ReplyData("annelie", "Ek bring die hele koffieklub van Stellenbosch saam. Ons is seker so tien mense."),
            ReplyData("chloe.e", "Count me in! I'll bring my own cup, as promised."),
        ),
        reactions=((0, "marike", ReactionKind.LOVE), (0, "liezl", ReactionKind.LIKE)),
    ),
    ThreadData(
        title="Как да подобрим доставките до България?",
        space="kafe-klub",
        author="georgi",
        kind=ThreadKind.CALL_TO_ACTION,
        language="bg",
        tags=("shipping",),
        body=(
            "Тази пролет няколко пратки закъсняха. Искаме да сменим куриера, но първо питаме вас: до офис, до "
            "адрес или до автомат? Какво ви е най-удобно?"
        ),
        replies=(
            ReplyData("niki.t", "За кафенето ми най-удобно е до адрес, сутрин преди 10 ч."),
            ReplyData("desi.m", "До автомат, моля! Никога не съм вкъщи, когато идва куриерът."),
        ),
        reactions=((2, "elena.s", ReactionKind.AGREE),),
    ),
    # --- Reviews of the products -----------------------------------------------------------
    ThreadData(
        title="Sidama Natural: blueberries, honestly",
        space="general",
        author="emily.c",
        kind=ThreadKind.REVIEW,
        language="en",
        product="sidama-natural",
        rating=5,
        tags=("filter",),
        body=(
            "I was sceptical about the blueberry note, but it is really there, especially as it cools. Brewed on a "
            "V60, 15 g to 250 g, 94 °C, 3:00 total. Sweet, clean and no ferment funk."
        ),
        edit=(
            "I was sceptical about the blueberry note, but it is really there, especially as it cools. Brewed on a "
            "V60, 15 g to 250 g, 94 °C, 3:00 total. Sweet, clean and no ferment funk.\n\n"
            "**Edit:** day 12 after roasting it is even better. Let it rest!"
        ),
        replies=(
            ReplyData("priya.n", "Same here. On day 5 it was a bit sharp; by day 10 it was jam."),
            ReplyData(
                "camila.origem",
                "Thank you, Emily! The Abebe family will love to read this — I'll share it on my next visit.",
            ),
        ),
        reactions=((0, "dan.murphy", ReactionKind.LIKE), (0, "priya.n", ReactionKind.HELPFUL), (2, "emily.c", "love")),
    ),
    ThreadData(
        title="Cerrado Mineiro na moka: bom, mas não extraordinário",
        space="roda-de-cafe",
        author="rafa.souza",
        kind=ThreadKind.REVIEW,
        language="pt",
        product="cerrado-mineiro",
        rating=3,
        tags=("moka-pot",),
        body=(
            "Gosto do corpo e do chocolate, mas na moka fica um pouco amargo no final. Com leite vai muito bem; "
            "puro, prefiro o Huila. Três estrelas, com carinho."
        ),
        replies=(
            ReplyData(
                "joao.torra",
                "Obrigado pela honestidade, Rafa. Na moka experimente moer um pouco mais grosso e tirar do lume "
                "assim que o café começar a sair claro.",
            ),
            ReplyData("thiago.rocha", "Concordo com o Rafa. No coador fica bem melhor!"),
        ),
        reactions=((1, "rafa.souza", ReactionKind.HELPFUL), (0, "ines.c", ReactionKind.AGREE)),
    ),
    ThreadData(
        title="Ръчната мелачка на Ponte след три месеца",
        space="kafe-klub",
        author="maria.g",
        kind=ThreadKind.REVIEW,
        language="bg",
        product="ponte-hand-grinder",
        rating=4,
        tags=("grinders", "джезве"),
        body=(
            "Мели равномерно за филтър и достатъчно фино за джезве, което не очаквах. Минус: дръжката се "
            "разхлабва след около месец и трябва да се затяга. Четири звезди."
        ),
        replies=(
            ReplyData(
                "stoyan",
                "Сложете капка фиксатор за резба на винта на дръжката — проблемът изчезва. При мен издържа вече "
                "половин година.",
            ),
            ReplyData("georgi", "Благодарим, Мария! Предадохме бележката за дръжката на работилницата в Порто."),
        ),
        reactions=((1, "maria.g", ReactionKind.HELPFUL), (1, "ivan.petrov", ReactionKind.HELPFUL)),
    ),
    ThreadData(
        title="Huila Washed in die AeroPress",
        space="koffiekring",
        author="marike",
        kind=ThreadKind.REVIEW,
        language="af",
        product="huila-washed",
        rating=4,
        tags=("aeropress",),
        body=(
            "Ek maak dit elke oggend in die AeroPress, omgekeerd, 16 g koffie en 220 g water. Die appel en "
            "suiker kom mooi deur. Net 'n bietjie te duur vir elke dag."
        ),
        replies=(ReplyData("annelie", "Probeer dit ook as koue brousel — dit is wonderlik in die somer!"),),
        reactions=((0, "elmarie.j", ReactionKind.LIKE),),
    ),
    # --- Praise --------------------------------------------------------------------------
    ThreadData(
        title="Thank you for the handwritten note in my order",
        space="general",
        author="grace.a",
        kind=ThreadKind.PRAISE,
        language="en",
        body=(
            "My first order arrived in Johannesburg today with a handwritten note from the roaster and a "
            "brewing card. Small thing, big difference. This is why I will keep buying from you."
        ),
        replies=(ReplyData("hannah", "That made our day, Grace. João writes every one of those himself!"),),
        reactions=((0, "hannah", ReactionKind.LOVE), (0, "sipho.d", ReactionKind.LIKE)),
    ),
    ThreadData(
        title="Encontro no Porto: que tarde!",
        space="roda-de-cafe",
        author="ines.c",
        kind=ThreadKind.PRAISE,
        language="pt",
        tags=("events",),
        body=(
            "Obrigada a toda a equipa pela prova de sábado na torrefação. Aprendi mais sobre extração numa tarde "
            "do que num ano de vídeos. Quando é a próxima?"
        ),
        replies=(ReplyData("lucas.brew", "Que inveja! Um dia destes fazemos uma igual em São Paulo."),),
        reactions=((0, "bia.almeida", ReactionKind.LOVE),),
    ),
    # --- Criticism, each answered by the brand ------------------------------------------------
    ThreadData(
        title="Пратката ми закъсня с две седмици",
        space="kafe-klub",
        author="elena.s",
        kind=ThreadKind.CRITICISM,
        language="bg",
        tags=("shipping",),
        body=(
            "Поръчах на 2 май, кафето пристигна на 17-и. Никой не ми писа какво става, а номерът за проследяване "
            "не работеше. Кафето е чудесно, но така не може."
        ),
        replies=(
            ReplyData(
                "georgi",
                "Елена, извинявайте — куриерът задържа пратките в склада във Варна и ние разбрахме твърде късно. "
                "Върнахме ви цената на доставката и следващата ви поръчка е с безплатна доставка.",
            ),
            ReplyData("elena.s", "Благодаря, Георги. Оценявам бързия отговор.", to=1),
        ),
        reactions=((1, "elena.s", ReactionKind.HELPFUL), (1, "desi.m", ReactionKind.LIKE)),
    ),
    ThreadData(
        title="The spring Huila lot tastes bitter",
        space="general",
        author="dan.murphy",
        kind=ThreadKind.CRITICISM,
        language="en",
        product=None,
        tags=("espresso",),
        body=(
            "Three bags in a row of the spring Huila are bitter and ashy as espresso, nothing like the autumn "
            "lot. Same grinder, same machine, same recipe. Did something change?"
        ),
        replies=(
            ReplyData(
                "aisha.k",
                "Try coarsening two steps and dropping to 92 °C — but if it's ashy, that sounds like the roast.",
            ),
            ReplyData(
                "joao.torra",
                "You are right, Dan, and thank you for saying it plainly. Batches 41 to 44 went a little darker "
                "than our profile after we replaced a burner. We fixed the profile on 12 April, and we are sending "
                "everyone who bought those batches a fresh bag.",
            ),
            ReplyData("dan.murphy", "That's a proper answer. Fresh bag arrived — it's back to red apple.", to=2),
        ),
        reactions=((2, "dan.murphy", ReactionKind.HELPFUL), (2, "tom.h", ReactionKind.INSIGHTFUL)),
    ),
    ThreadData(
        title="Die prys het weer gestyg",
        space="koffiekring",
        author="jh.pretorius",
        kind=ThreadKind.CRITICISM,
        language="af",
        body=(
            "Dis die tweede keer hierdie jaar dat die prys van 'n sak styg. Vir 'n gesin wat elke dag koffie drink "
            "is dit nie meer bekostigbaar nie."
        ),
        replies=(
            ReplyData(
                "zoe.vdm",
                "Dankie dat jy dit sê, Jan-Hendrik. Groen koffie kos vanjaar amper dubbel, maar ons begin volgende "
                "maand met 'n 1 kg-sak teen 'n laer prys per gram, en intekenare kry 10% afslag.",
            ),
        ),
        reactions=((1, "riaan.nel", ReactionKind.HELPFUL),),
    ),
    # --- Experience stories ---------------------------------------------------------------
    ThreadData(
        title="From pods to pour-over in six months",
        space="general",
        author="oli.b",
        kind=ThreadKind.STORY,
        language="en",
        body=(
            "Last autumn I drank pods. A friend handed me a cup of the Huila on a V60 and I asked what was wrong "
            "with it, because it tasted of apples. Six months, one grinder and a gooseneck kettle later, I cup "
            "every new lot with @tom.h's monthly call. Thank you all for the patience with my questions."
        ),
        replies=(ReplyData("tom.h", "Best kind of story. See you on the call, Oli!"),),
        reactions=((0, "tom.h", ReactionKind.LOVE), (0, "emily.c", ReactionKind.LIKE)),
    ),
    ThreadData(
        title="Como a Ponte me fez trocar o café de cápsula",
        space="roda-de-cafe",
        author="bia.almeida",
        kind=ThreadKind.STORY,
        language="pt",
        body=(
            "Durante anos bebi café de cápsula no escritório. Uma colega trouxe um saco de Cerrado e uma "
            "prensa francesa, e nunca mais voltei atrás. Agora sou eu que levo o café para a equipa."
        ),
        replies=(ReplyData("mariana.q", "Que bonito, Beatriz! A prensa é o melhor começo."),),
        reactions=((0, "mariana.q", ReactionKind.LIKE),),
    ),
    ThreadData(
        title="Студено кафе на плажа в Бургас",
        space="kafe-klub",
        author="desi.m",
        kind=ThreadKind.STORY,
        language="bg",
        tags=("cold-brew",),
        body=(
            "Миналото лято носех на плажа буркан студено кафе от Сидамо — 80 г кафе на литър вода, 16 часа в "
            "хладилника. Приятелите ми, които „не пият кафе“, изпиха всичко."
        ),
        replies=(ReplyData("nadya", "Ще пробвам рецептата в Пловдив! Колко едро мелиш?"),),
        reactions=((0, "nadya", ReactionKind.LOVE), (0, "kaloyan", ReactionKind.LIKE)),
    ),
    ThreadData(
        title="Moerkoffie op die kampvuur in die Cederberg",
        space="koffiekring",
        author="liezl",
        kind=ThreadKind.STORY,
        language="af",
        body=(
            "Ons het vier dae in die Cederberg gestap en elke oggend moerkoffie op die vuur gemaak met die "
            "Cerrado. Ek het foto's van die berge en die koffie geneem — soms van albei saam."
        ),
        replies=(ReplyData("ruan.botha", "Pragtig! Moerkoffie op die vuur is nog altyd die beste koffie."),),
        reactions=((0, "ruan.botha", ReactionKind.LIKE),),
    ),
    # --- Questions, answered (by the brand and by members) and unanswered ----------------------
    ThreadData(
        title="Why does my espresso taste sour?",
        space="brew-help",
        author="jack.t",
        kind=ThreadKind.QUESTION,
        language="en",
        tags=("espresso", "grinders"),
        body=(
            "House Espresso, 18 g in, 36 g out in 19 seconds. It is sour and thin. I have a Ponte Hand Grinder "
            "and a single-boiler machine. What should I change first?"
        ),
        replies=(
            ReplyData("tom.h", "19 seconds is fast. Grind finer until the shot takes 27–30 seconds."),
            ReplyData(
                "aisha.k",
                "Grind finer first, as Tom says. Then check your machine's temperature: single boilers often brew "
                "cold straight after steaming. Flush for two seconds before the shot.",
                to=1,
                quote=True,
            ),
            ReplyData("jack.t", "Finer by 4 clicks and a flush: 28 seconds and it's sweet. Thanks both!"),
        ),
        accepted=2,
        reactions=((2, "jack.t", ReactionKind.HELPFUL), (1, "jack.t", ReactionKind.HELPFUL)),
    ),
    ThreadData(
        title="Can I return the grinder if the burrs are misaligned?",
        space="brew-help",
        author="sipho.d",
        kind=ThreadKind.QUESTION,
        language="en",
        tags=("grinders",),
        body="My new hand grinder produces very uneven grounds and the burr wobbles. Is this covered?",
        replies=(
            ReplyData(
                "liam.byrne",
                "Yes, Sipho — two years, no questions asked. I've sent you a prepaid label by e-mail; the "
                "replacement leaves Porto the day yours arrives.",
            ),
        ),
        accepted=1,
        reactions=((1, "sipho.d", ReactionKind.HELPFUL),),
    ),
    ThreadData(
        title="Каква смилане за джезве?",
        space="kafe-klub",
        author="ivan.petrov",
        kind=ThreadKind.QUESTION,
        language="bg",
        tags=("grinders", "джезве"),
        body="Току-що си купих ръчна мелачка. На колко щраквания да меля за джезве?",
        replies=(
            ReplyData(
                "stoyan",
                "За джезве ти трябва най-финото смилане — като пудра. На мелачката на Ponte това са 4–6 щраквания "
                "от нулата.",
            ),
            ReplyData("nadya", "И не го оставяй да заври — махни го от котлона, щом се вдигне каймакът."),
        ),
        accepted=1,
        reactions=((1, "ivan.petrov", ReactionKind.HELPFUL), (2, "ivan.petrov", ReactionKind.LIKE)),
    ),
    ThreadData(
        title="Quanto tempo devo esperar depois da torra?",
        space="roda-de-cafe",
        author="gabi.f",
        kind=ThreadKind.QUESTION,
        language="pt",
        body="O saco diz que foi torrado há dois dias. Posso beber já ou devo esperar?",
        replies=(
            ReplyData(
                "joao.torra",
                "Para filtro, espere 5 a 7 dias; para espresso, 10 a 14. O café precisa de libertar o CO₂ da torra.",
            ),
            ReplyData("mariana.q", "E guarde o saco bem fechado, longe da luz e do calor."),
        ),
        accepted=1,
        reactions=((1, "gabi.f", ReactionKind.HELPFUL), (1, "analu", ReactionKind.HELPFUL)),
    ),
    ThreadData(
        title="Watter water gebruik julle vir filterkoffie?",
        space="koffiekring",
        author="wian.c",
        kind=ThreadKind.QUESTION,
        language="af",
        tags=("filter",),
        body="Ons kraanwater in Stellenbosch is baie sag. Moet ek iets byvoeg, of gebruik julle gebottelde water?",
        replies=(
            ReplyData("ruan.botha", "Ek gebruik gefiltreerde water uit die kraan en dit werk goed."),
            ReplyData(
                "pieter.dv",
                "Sagte water onttrek min. Voeg 'n bietjie magnesiumsulfaat by — sowat 50 mg per liter — en proe "
                "die verskil. Ek stuur graag my resep.",
            ),
        ),
        accepted=2,
        accepted_by="ruan.botha",
        reactions=((2, "wian.c", ReactionKind.HELPFUL), (2, "ruan.botha", ReactionKind.INSIGHTFUL)),
    ),
    ThreadData(
        title="Best ratio for a cold brew concentrate?",
        space="brew-help",
        author="chloe.e",
        kind=ThreadKind.QUESTION,
        language="en",
        body="I want a concentrate I can dilute with milk. What ratio and steep time do you use?",
    ),
    ThreadData(
        title="Има ли смисъл от везна с таймер?",
        space="kafe-klub",
        author="kaloyan",
        kind=ThreadKind.QUESTION,
        language="bg",
        body="Струва ли си да дам 60 лева за везна с таймер, или обикновена кухненска везна е достатъчна?",
    ),
    ThreadData(
        title="Hoe lank hou koffiebone in die vrieskas?",
        space="koffiekring",
        author="karla",
        kind=ThreadKind.QUESTION,
        language="af",
        body="Ek het drie sakke gekoop. Kan ek twee in die vrieskas sit, en hoe lank bly hulle vars?",
    ),
    ThreadData(
        title="Alguém já testou o Sidama em cold brew?",
        space="roda-de-cafe",
        author="analu",
        kind=ThreadKind.QUESTION,
        language="pt",
        body="Estou curiosa para experimentar o lote da Etiópia a frio. Vale a pena ou perde o aroma?",
    ),
    # --- Discussions ------------------------------------------------------------------------
    ThreadData(
        title="Show us where you brew",
        space="general",
        author="tom.h",
        kind=ThreadKind.DISCUSSION,
        language="en",
        body="Kitchen counter, office desk or a campsite? Tell us what your brewing corner looks like.",
        replies=(
            ReplyData("emily.c", "A tiny shelf in a London flat: V60, kettle, scale and far too many mugs."),
            ReplyData("sipho.d", "A popcorn machine on the balcony in Durban. Don't tell the roastery."),
            ReplyData("liam.byrne", "We heard that, Sipho. 😄 Send us a photo of your roast!", to=2),
        ),
        reactions=((2, "tom.h", ReactionKind.LIKE), (3, "sipho.d", ReactionKind.LIKE)),
    ),
    ThreadData(
        title="Koffieklub in Stellenbosch: wie kom Saterdag?",
        space="koffiekring",
        author="annelie",
        kind=ThreadKind.DISCUSSION,
        language="af",
        tags=("events",),
        body="Ons proe hierdie maand die Sidama. @karla, @chloe.e en @sipho.d — kom julle ook?",
        replies=(
            ReplyData("karla", "Ek kom! Ek bring koeksisters."),
            ReplyData("chloe.e", "Wouldn't miss it."),
        ),
        reactions=((1, "annelie", ReactionKind.LOVE),),
    ),
)

# Who follows what: (member, "space" | "tag" | "thread", slug or title).
FOLLOWS: tuple[tuple[str, str, str], ...] = (
    ("emily.c", "space", "brew-help"),
    ("nadya", "tag", "grinders"),
    ("priya.n", "thread", "Best ratio for a cold brew concentrate?"),
    ("marike", "space", "koffiekring"),
    ("lucas.brew", "tag", "espresso"),
)

BOOKMARKS: tuple[tuple[str, str], ...] = (
    ("emily.c", "Why does my espresso taste sour?"),
    ("ivan.petrov", "Каква смилане за джезве?"),
    ("wian.c", "Watter water gebruik julle vir filterkoffie?"),
    ("thiago.rocha", "Quanto tempo devo esperar depois da torra?"),
)


@dataclass(frozen=True)
class CollectionData:
    owner: str
    title: str
    description: str
    threads: tuple[tuple[str, str], ...] = field(default=())  # (title, note)


COLLECTIONS: tuple[CollectionData, ...] = (
    CollectionData(
        owner="tom.h",
        title="Dialling in espresso: the threads that helped most",
        description="Start here if your shots are sour, bitter or just not right.",
        threads=(
            ("Why does my espresso taste sour?", "Grind finer, then flush the group head."),
            ("The spring Huila lot tastes bitter", "When it's not you, it's the roast — and the roastery owned it."),
            ("Ръчната мелачка на Ponte след три месеца", "A long-term review of the hand grinder, in Bulgarian."),
        ),
    ),
    CollectionData(
        owner="nadya",
        title="Най-доброто от Кафе клуб",
        description="Любимите ми разговори от българския клуб.",
        threads=(
            ("Каква смилане за джезве?", ""),
            ("Студено кафе на плажа в Бургас", "Рецептата на Деси"),
        ),
    ),
)


# --- The steps ----------------------------------------------------------------------------------


@demo_step("conversations: products and tags", order=200)
def products_and_tags(ctx: DemoContext) -> None:
    community = ctx.community
    manager = ctx.user(MANAGER)
    for spec in PRODUCTS:
        if not Product.objects.filter(community=community, slug=spec.slug).exists():
            actions.create_product(
                actor=manager, community=community, name=spec.name, slug=spec.slug, description=spec.description
            )
            ctx.count("products")
    for name in OFFICIAL_TAGS:
        if not Tag.objects.filter(community=community, name=name).exists():
            actions.create_tag(actor=manager, community=community, name=name)
            ctx.count("tags")


def _start(ctx: DemoContext, spec: ThreadData) -> Thread:
    """Play one thread out: opening post, replies, an edit, the accepted answer, reactions, a pin."""
    community = ctx.community
    space = Space.objects.get(community=community, slug=spec.space)
    author = ctx.user(spec.author)
    product = Product.objects.get(community=community, slug=spec.product) if spec.product else None
    free_tags = Tag.objects.filter(community=community, is_official=False).count()
    thread = actions.create_thread(
        author=author,
        space=space,
        kind=spec.kind,
        title=spec.title,
        body=spec.body,
        product=product,
        rating=spec.rating,
        tags=spec.tags,
    )
    ctx.count("tags", Tag.objects.filter(community=community, is_official=False).count() - free_tags)
    posts: list[Post] = [thread.posts.get(is_opening=True)]
    if spec.edit:
        actions.edit_post(editor=author, post=posts[0], body=spec.edit)
    for answer in spec.replies:
        to = posts[answer.to] if answer.to is not None else None
        body = answer.body
        if to is not None and answer.quote and to.author is not None:
            body = quote_markdown(to.body, to.author.handle) + body
        posts.append(actions.create_reply(author=ctx.user(answer.author), thread=thread, body=body, reply_to=to))
    ctx.count("posts", len(posts))
    if spec.accepted is not None:
        chooser = ctx.user(spec.accepted_by or spec.author)
        actions.accept_answer(actor=chooser, thread=thread, post=posts[spec.accepted])
    for position, who, kind in spec.reactions:
        actions.add_reaction(user=ctx.user(who), post=posts[position], kind=kind)
    ctx.count("reactions", len(spec.reactions))
    if spec.pinned_by:
        actions.moderate_thread(actor=ctx.user(spec.pinned_by), thread=thread, pinned=True)
    return thread


@demo_step("conversations: threads of every kind", order=210)
def threads(ctx: DemoContext) -> None:
    have = set(Thread.objects.filter(community=ctx.community).values_list("title", flat=True))
    for spec in THREADS:
        if spec.title not in have:
            _start(ctx, spec)
            ctx.count("threads")


def _thread(ctx: DemoContext, title: str) -> Thread:
    return Thread.objects.select_related("space", "community").get(community=ctx.community, title=title)


@demo_step("conversations: follows, bookmarks and collections", order=220)
def follows_bookmarks_and_collections(ctx: DemoContext) -> None:
    community = ctx.community
    for handle, what, key in FOLLOWS:
        user = ctx.user(handle)
        target: Thread | Space | Tag
        if what == "space":
            target = Space.objects.get(community=community, slug=key)
        elif what == "tag":
            target = Tag.objects.get(community=community, slug=key)
        else:
            target = _thread(ctx, key)
        if not Follow.objects.filter(user=user, **{what: target}).exists():
            actions.follow(user=user, target=target)
            ctx.count("follows")
    for handle, title in BOOKMARKS:
        user, thread = ctx.user(handle), _thread(ctx, title)
        if not Bookmark.objects.filter(user=user, thread=thread).exists():
            actions.bookmark(user=user, thread=thread)
            ctx.count("bookmarks")
    for spec in COLLECTIONS:
        owner = ctx.user(spec.owner)
        collection = Collection.objects.filter(community=community, owner=owner, title=spec.title).first()
        if collection is None:
            collection = actions.create_collection(
                owner=owner, community=community, title=spec.title, description=spec.description
            )
            ctx.count("collections")
        for title, note in spec.threads:
            thread = _thread(ctx, title)
            if not CollectionItem.objects.filter(collection=collection, thread=thread).exists():
                actions.add_to_collection(owner=owner, collection=collection, thread=thread, note=note)
