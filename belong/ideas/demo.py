"""The demo's idea board: Ponte's members propose, vote and discuss; the brand reviews, plans, ships
and declines, always with a public note in the idea's language; a duplicate is merged; a private
beta group tests the most-voted idea.

Everything goes through the actions, like real use. Each step finds what an earlier run made (a
category by its address, an idea by its title, a group by its name) and only adds what is missing,
so loading the demo twice adds nothing.

The actions date everything "now". A board where every vote is a minute old has no history: its
"trending" order would equal "top", and its changelog would have shipped everything at once. So,
once an idea is told, its dates are moved into the past the story describes (`_date_the_story`),
the one thing no action does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from belong.communities.models import Space
from belong.conversations import actions as conversations
from belong.conversations.models import Post, Product, Thread, ThreadKind
from belong.demo.loader import DemoContext, demo_step
from belong.ideas import actions
from belong.ideas.models import (
    BetaGroup,
    BetaInvitation,
    BetaInvitationState,
    Idea,
    IdeaCategory,
    IdeaVote,
    Importance,
    StatusChange,
)

# --- The data -----------------------------------------------------------------------------------

IDEAS_SPACE = "ideas"
MANAGER = "hannah"
# Moderators tidy the board: merging duplicates is theirs as much as the brand's.
TIDIER = "sarah.m"

# How much a vote says the idea matters to the voter ("": just a vote).
CRIT = Importance.CRITICAL.value
IMP = Importance.IMPORTANT.value
NICE = Importance.NICE_TO_HAVE.value
PLAIN = ""


@dataclass(frozen=True)
class CategoryData:
    slug: str
    name: str


@dataclass(frozen=True)
class StepData:
    """A move to another status by one of the brand's people, with the note voters read."""

    status: str
    by: str
    days_ago: float
    note: str


@dataclass(frozen=True)
class ReplyData:
    """A reply in the idea's discussion; `to` is the position of the post it answers (0: the idea)."""

    author: str
    days_ago: float
    body: str
    to: int | None = None


@dataclass(frozen=True)
class IdeaData:
    """An idea and its story. `votes` came in before the trending window (or before voting
    closed), spread evenly from the day it was proposed; `recent_votes` came in within the window."""

    title: str
    author: str
    language: str
    days_ago: float
    body: str
    category: str | None = None
    product: str | None = None
    votes: tuple[tuple[str, str], ...] = ()
    recent_votes: tuple[tuple[str, str], ...] = ()
    replies: tuple[ReplyData, ...] = ()
    steps: tuple[StepData, ...] = ()


@dataclass(frozen=True)
class MergeData:
    duplicate: str
    original: str
    by: str
    days_ago: float


@dataclass(frozen=True)
class BetaGroupData:
    name: str
    description: str
    idea: str
    created_by: str
    message: str
    # Who is invited, and whether they already accepted (False: not answered yet).
    invited: tuple[tuple[str, bool], ...]


CATEGORIES: tuple[CategoryData, ...] = (
    CategoryData("coffee-roasts", "Coffee & roasts"),
    CategoryData("packaging-delivery", "Packaging & delivery"),
    CategoryData("app-ordering", "App & ordering"),
    CategoryData("shops-events", "Shops & events"),
)

IDEAS: tuple[IdeaData, ...] = (
    # --- English ----------------------------------------------------------------------------
    IdeaData(
        title="Refill pouches for the Ponte tin",
        author="priya.n",
        language="en",
        days_ago=95,
        category="packaging-delivery",
        body=(
            "I keep every bag in the Ponte tin anyway, so the bag is rubbish the day it arrives. Could you sell "
            "refills in a thin compostable pouch? Same coffee, less packaging, and a little cheaper. I would "
            "happily buy 500 g at a time."
        ),
        votes=(
            ("marike", CRIT),
            ("dan.murphy", IMP),
            ("tom.h", IMP),
            ("grace.a", CRIT),
            ("emily.c", NICE),
            ("oli.b", PLAIN),
            ("chloe.e", IMP),
            ("elmarie.j", NICE),
            ("liezl", IMP),
            ("jh.pretorius", PLAIN),
            ("ines.c", CRIT),
            ("analu", NICE),
            ("maria.g", IMP),
            ("desi.m", NICE),
            ("annelie", IMP),
            ("sipho.d", PLAIN),
            ("pieter.dv", NICE),
            ("aisha.k", PLAIN),
        ),
        recent_votes=(("kaloyan", NICE), ("wian.c", IMP)),
        replies=(
            ReplyData(
                "tom.h",
                90,
                "Yes please. The tin is the best thing you sell, and I feel bad binning a bag every fortnight.",
            ),
            ReplyData(
                "grace.a", 72, "Would a pouch keep the coffee as fresh as the bag does? Mine lasts me three weeks."
            ),
            ReplyData(
                "hannah",
                70,
                "That is exactly what we need to find out, Grace: without a valve and a good seal a pouch is no "
                "better than a paper bag.",
                to=2,
            ),
        ),
        steps=(
            StepData(
                "under_review",
                "hannah",
                80,
                "Thank you, Priya: this is the most popular packaging idea we have had. We are asking our packaging "
                "supplier in Braga what a compostable pouch that keeps coffee fresh for six weeks would cost.",
            ),
            StepData(
                "planned",
                "hannah",
                52,
                "Good news: the supplier can make a home-compostable pouch with a one-way valve. We are planning "
                "500 g refills for the autumn, at about 10% less than the same coffee in a bag.",
            ),
            StepData(
                "in_progress",
                "joao.torra",
                20,
                "We are packing the first test batch this week. A small group of members will try the pouches at "
                "home for a month before they go on sale, and tell us what the coffee is like after four weeks.",
            ),
        ),
    ),
    IdeaData(
        title="A single-origin decaf that still tastes of something",
        author="emily.c",
        language="en",
        days_ago=160,
        category="coffee-roasts",
        body=(
            "I love a V60 after dinner, but I can't sleep if I drink caffeine after four. Every decaf I have tried "
            "tastes of cardboard. Would you ever roast a decaf from a single farm, light enough for filter?"
        ),
        votes=(
            ("dan.murphy", CRIT),
            ("priya.n", IMP),
            ("grace.a", IMP),
            ("oli.b", NICE),
            ("jack.t", PLAIN),
            ("chloe.e", NICE),
            ("elmarie.j", CRIT),
            ("marike", IMP),
            ("analu", IMP),
            ("ines.c", NICE),
            ("thiago.rocha", PLAIN),
            ("maria.g", IMP),
            ("elena.s", NICE),
            ("riaan.nel", PLAIN),
            ("tom.h", NICE),
            ("sarah.m", IMP),
        ),
        replies=(
            ReplyData("dan.murphy", 155, "Seconded. A decaf that tastes of coffee would be a first."),
            ReplyData("emily.c", 40, "Brewed my first bag tonight and it tastes like the Huila I love. Thank you!"),
        ),
        steps=(
            StepData(
                "under_review",
                "hannah",
                150,
                "So many of you asked for this after Emily's post. João and Camila are cupping decaf samples from "
                "our partner farms this month.",
            ),
            StepData(
                "in_progress",
                "joao.torra",
                110,
                "We found it: a Huila from the Ruiz family, decaffeinated with sugarcane in Colombia. Now we are "
                "working on a light roast that keeps its sweetness.",
            ),
            StepData(
                "shipped",
                "joao.torra",
                45,
                "**Huila Decaf** is in the shop from today: red apple, panela and milk chocolate, roasted light for "
                "filter. Thank you to everyone who voted, and to Emily for asking.",
            ),
        ),
    ),
    IdeaData(
        title="Let me pause my subscription while I travel",
        author="tom.h",
        language="en",
        days_ago=130,
        category="app-ordering",
        body=(
            "I am away for three weeks every summer, and each time I have to cancel my subscription and set it up "
            "again, losing my price. A simple “pause until…” button on the account page would fix it."
        ),
        votes=(
            ("emily.c", IMP),
            ("chloe.e", CRIT),
            ("priya.n", NICE),
            ("oli.b", IMP),
            ("dan.murphy", NICE),
            ("sipho.d", PLAIN),
            ("grace.a", NICE),
            ("liezl", IMP),
            ("bia.almeida", NICE),
            ("rafa.souza", PLAIN),
            ("niki.t", NICE),
            ("annelie", IMP),
        ),
        replies=(ReplyData("chloe.e", 125, "Same here. I would use it every December when I fly home to Cardiff."),),
        steps=(
            StepData(
                "planned",
                "hannah",
                118,
                "Fair point, Tom: cancelling should not be the only way to take a break. It is planned for the next "
                "update of the shop.",
            ),
            StepData(
                "shipped",
                "liam.byrne",
                70,
                "You can now pause a subscription for up to eight weeks from **Account → Subscriptions**. Your price "
                "and your next roast date are kept while it is paused.",
            ),
        ),
    ),
    IdeaData(
        title="A re-order button in the app",
        author="oli.b",
        language="en",
        days_ago=11,
        category="app-ordering",
        body=(
            "Nine times out of ten I buy the same two bags. A “re-order my last order” button on the home screen of "
            "the app would save me five taps and a search every fortnight."
        ),
        recent_votes=(
            ("emily.c", IMP),
            ("jack.t", CRIT),
            ("priya.n", NICE),
            ("sipho.d", IMP),
            ("grace.a", NICE),
            ("tom.h", PLAIN),
            ("dan.murphy", IMP),
            ("chloe.e", NICE),
            ("niki.t", CRIT),
            ("thiago.rocha", NICE),
            ("liezl", PLAIN),
        ),
        replies=(
            ReplyData(
                "sipho.d",
                9,
                "And let me change the grind before it goes, please: I switched from the AeroPress to a moka pot.",
            ),
        ),
        steps=(
            StepData(
                "under_review",
                "hannah",
                8,
                "The app team likes this one: it is small and many of you asked for it. We are checking how it "
                "should work for people who also have a subscription.",
            ),
            StepData(
                "planned",
                "hannah",
                3,
                "Planned for the app release at the end of next month, together with Jack's idea of re-ordering "
                "from the order e-mail, which we merged into this one.",
            ),
        ),
    ),
    IdeaData(
        title="One-tap reorder of my usual bags",
        author="jack.t",
        language="en",
        days_ago=6,
        category="app-ordering",
        body=(
            "Could the order confirmation e-mail have a button to order the same again? I run a café and I reorder "
            "the same espresso every week."
        ),
        recent_votes=(("grace.a", IMP), ("niki.t", NICE), ("aisha.k", NICE), ("elena.s", PLAIN), ("karla", NICE)),
        replies=(ReplyData("aisha.k", 5, "Yes, from the e-mail would be perfect. That is where I look first."),),
    ),
    IdeaData(
        title="A home cupping kit",
        author="aisha.k",
        language="en",
        days_ago=2,
        body=(
            "Tom's monthly cupping call is brilliant, but half of us are tasting different coffees. A kit with three "
            "50 g samples, a cupping spoon and a score sheet would let everyone taste the same lots together."
        ),
        recent_votes=(("tom.h", CRIT), ("priya.n", IMP), ("mariana.q", NICE)),
        replies=(ReplyData("tom.h", 1.5, "Yes! I would build the next calls around it."),),
    ),
    # --- Português --------------------------------------------------------------------------
    IdeaData(
        title="Recargas a granel nas lojas do Porto e de Lisboa",
        author="ines.c",
        language="pt",
        days_ago=40,
        category="shops-events",
        body=(
            "Quando vou à loja do Porto levo o meu frasco. Seria ótimo poder enchê-lo com café a granel, pesado na "
            "hora, sem saco nenhum. Menos lixo e o café sempre fresco."
        ),
        votes=(
            ("analu", IMP),
            ("bia.almeida", CRIT),
            ("thiago.rocha", NICE),
            ("marike", IMP),
            ("elmarie.j", NICE),
            ("mariana.q", PLAIN),
        ),
        recent_votes=(("gabi.f", NICE), ("priya.n", IMP), ("lucas.brew", PLAIN)),
        replies=(
            ReplyData("bia.almeida", 38, "Apoio! E a loja de Lisboa tem espaço de sobra para um silo ou dois."),
            ReplyData(
                "analu", 30, "Em Coimbra também havia clientes. Fica a sugestão para quando abrirem uma loja cá."
            ),
        ),
        steps=(
            StepData(
                "under_review",
                "joao.torra",
                25,
                "Boa ideia, Inês. Estamos a estudar as regras de higiene para a venda a granel e o espaço que os silos "
                "ocupariam na loja do Porto. Voltamos aqui com uma resposta.",
            ),
        ),
    ),
    IdeaData(
        title="Um lote anaeróbico de Minas Gerais",
        author="rafa.souza",
        language="pt",
        days_ago=200,
        category="coffee-roasts",
        body=(
            "Cresci no meio do café em Minas, e os produtores de lá estão fazendo coisas incríveis com fermentação "
            "anaeróbica. Que tal a Ponte trazer um lote desses? Seria ótimo provar algo novo do Brasil além do "
            "Cerrado."
        ),
        votes=(
            ("thiago.rocha", CRIT),
            ("lucas.brew", IMP),
            ("gabi.f", IMP),
            ("mariana.q", CRIT),
            ("bia.almeida", NICE),
            ("ines.c", IMP),
            ("analu", PLAIN),
            ("priya.n", IMP),
            ("tom.h", NICE),
            ("maria.g", NICE),
            ("nadya", IMP),
            ("pieter.dv", PLAIN),
            ("aisha.k", NICE),
        ),
        replies=(
            ReplyData(
                "thiago.rocha", 195, "Apoio total! Provei um anaeróbico em São Paulo e foi uma experiência e tanto."
            ),
            ReplyData("rafa.souza", 25, "Provei hoje no coador e é exatamente o que eu esperava. Valeu, Camila!"),
        ),
        steps=(
            StepData(
                "under_review",
                "camila.origem",
                190,
                "Adorei, Rafa! Vou provar lotes anaeróbicos na próxima visita às fazendas parceiras e conto aqui o que "
                "encontrar.",
            ),
            StepData(
                "planned",
                "camila.origem",
                160,
                "Encontramos: um Catuaí amarelo da Fazenda Santa Luzia, em Carmo de Minas, com 72 horas de fermentação "
                "anaeróbica. Compramos 20 sacas para o próximo inverno.",
            ),
            StepData(
                "in_progress",
                "joao.torra",
                100,
                "O café verde chegou ao Porto. Estamos a afinar a torra: é um café delicado, com notas de ananás e "
                "cacau, que não perdoa uma torra escura.",
            ),
            StepData(
                "shipped",
                "camila.origem",
                30,
                "Chegou à loja: **Santa Luzia Anaeróbico**, com notas de abacaxi, cacau e mel. Obrigada a todos que "
                "votaram, e ao Rafa, que deu a ideia!",
            ),
        ),
    ),
    IdeaData(
        title="Legendas em português nos vídeos de receitas",
        author="bia.almeida",
        language="pt",
        days_ago=4,
        body=(
            "Os vídeos de receitas da Ponte são ótimos, mas só têm legendas em inglês. A minha mãe também quer "
            "aprender a usar a AeroPress! Podiam pôr legendas em português, de Portugal e do Brasil?"
        ),
        recent_votes=(
            ("analu", IMP),
            ("ines.c", NICE),
            ("lucas.brew", CRIT),
            ("gabi.f", PLAIN),
            ("thiago.rocha", NICE),
        ),
        replies=(ReplyData("lucas.brew", 3, "Posso ajudar com as legendas em português do Brasil dos meus vídeos!"),),
    ),
    IdeaData(
        title="Assinatura com entrega quinzenal no Brasil",
        author="gabi.f",
        language="pt",
        days_ago=75,
        category="app-ordering",
        body=(
            "Adoro o café da Ponte, mas no Brasil só dá para pedir uma vez por mês e o frete sai caro. Uma "
            "assinatura quinzenal com frete mais barato faria eu comprar muito mais."
        ),
        votes=(
            ("thiago.rocha", CRIT),
            ("lucas.brew", IMP),
            ("rafa.souza", IMP),
            ("analu", NICE),
            ("mariana.q", PLAIN),
            ("bia.almeida", NICE),
        ),
        replies=(
            ReplyData(
                "gabi.f",
                33,
                "Entendo. Obrigado pela resposta sincera; fico no aguardo do parceiro no Brasil.",
            ),
        ),
        steps=(
            StepData(
                "under_review",
                "camila.origem",
                60,
                "Obrigada, Gabriel. Estamos conversando com transportadoras para ver se um envio do Porto para o Brasil "
                "a cada 15 dias é viável.",
            ),
            StepData(
                "declined",
                "marta",
                35,
                "Infelizmente, não. Entre a torra no Porto e a alfândega no Brasil, um envio quinzenal chegaria com o "
                "café já cansado, e o frete não ficaria mais barato. Preferimos ser honestos: estamos à procura de um "
                "parceiro que torre no Brasil e contaremos tudo aqui.",
            ),
        ),
    ),
    # --- Български --------------------------------------------------------------------------
    IdeaData(
        title="Ръководства за приготвяне на кафе на български",
        author="maria.g",
        language="bg",
        days_ago=120,
        body=(
            "Много от приятелите ми, на които подарявам кафе от Ponte, не четат английски. Ще е чудесно картичките "
            "с рецепти и ръководствата на сайта да са и на български — за V60, аеропрес, френска преса и джезве."
        ),
        votes=(
            ("nadya", CRIT),
            ("elena.s", IMP),
            ("ivan.petrov", CRIT),
            ("niki.t", IMP),
            ("desi.m", NICE),
            ("kaloyan", IMP),
            ("stoyan", NICE),
            ("petya", IMP),
            ("marike", PLAIN),
            ("annelie", NICE),
            ("wian.c", PLAIN),
        ),
        replies=(
            ReplyData("nadya", 110, "С удоволствие ще помогна с превода и с термините. „Аеропрес“ или „AeroPress“?"),
            ReplyData("stoyan", 98, "Аз ще проверя частта за джезвето и за мока.", to=1),
            ReplyData("maria.g", 10, "Изпратих линк на майка ми и вече си прави V60. Благодаря!"),
        ),
        steps=(
            StepData(
                "planned",
                "georgi",
                100,
                "Благодаря, Мария! Планираме да преведем ръководствата до края на лятото. Надя и Стоян ще проверят "
                "текстовете.",
            ),
            StepData(
                "in_progress",
                "georgi",
                60,
                "Преводът е готов. Сега правим нови снимки за джезвето и мока, за да се вижда всяка стъпка.",
            ),
            StepData(
                "shipped",
                "georgi",
                12,
                "Първите пет ръководства — V60, аеропрес, френска преса, джезве и мока — вече са на сайта на български, "
                "а от следващата пратка и картичките в пакетите. Благодарим на всички, които гласуваха!",
            ),
        ),
    ),
    IdeaData(
        title="Доставка до автомат за пратки",
        author="desi.m",
        language="bg",
        days_ago=50,
        category="packaging-delivery",
        body=(
            "Никога не съм вкъщи, когато идва куриерът, а офисът му е далеч. Ако можех да избера автомат за пратки "
            "при поръчка, щях да си взимам кафето на път за работа."
        ),
        votes=(
            ("elena.s", CRIT),
            ("kaloyan", IMP),
            ("maria.g", IMP),
            ("ivan.petrov", NICE),
            ("nadya", PLAIN),
            ("petya", NICE),
        ),
        recent_votes=(("niki.t", PLAIN), ("stoyan", NICE)),
        replies=(
            ReplyData("elena.s", 45, "Да, моля! И да идва известие, когато пратката е в автомата."),
            ReplyData("niki.t", 38, "За кафенето предпочитам доставка до адрес, но за вкъщи автомат е идеален."),
        ),
        steps=(
            StepData(
                "under_review",
                "georgi",
                40,
                "Благодаря, Деси! Точно това питахме в Кафе клуб и повечето от вас искат същото. Говорим с две "
                "куриерски фирми, които имат автомати в цяла България.",
            ),
            StepData(
                "in_progress",
                "georgi",
                9,
                "Избрахме куриерска фирма. Тестваме избора на автомат при поръчка и до месец ще можете да го ползвате в "
                "София, Пловдив, Варна и Бургас.",
            ),
        ),
    ),
    IdeaData(
        title="По-фина настройка на ръчната мелачка за джезве",
        author="ivan.petrov",
        language="bg",
        days_ago=25,
        product="ponte-hand-grinder",
        body=(
            "За джезве мелачката трябва да е на 4–6 щраквания от нулата, а разликата между две щраквания е голяма. "
            "Една по-фина стъпка в най-ниския край би помогнала много."
        ),
        votes=(("stoyan", CRIT), ("kaloyan", NICE), ("maria.g", PLAIN)),
        recent_votes=(("nadya", IMP), ("elena.s", NICE)),
        replies=(
            ReplyData(
                "stoyan",
                20,
                "Съгласен съм. Междинна стъпка в долния край би решила проблема — виждал съм го при други мелачки.",
            ),
        ),
    ),
    # --- Afrikaans --------------------------------------------------------------------------
    IdeaData(
        title="Virtuele toere deur die brandery in Afrikaans",
        author="annelie",
        language="af",
        days_ago=90,
        category="shops-events",
        body=(
            "Ons koffieklub in Stellenbosch sal nooit almal Porto toe kan vlieg nie. Kan julle 'n lewendige toer "
            "deur die brandery doen, met iemand wat in Afrikaans verduidelik wat gebeur? Ons kyk saam op 'n groot "
            "skerm."
        ),
        votes=(
            ("marike", CRIT),
            ("karla", IMP),
            ("chloe.e", IMP),
            ("sipho.d", NICE),
            ("elmarie.j", IMP),
            ("liezl", NICE),
            ("wian.c", PLAIN),
            ("riaan.nel", NICE),
            ("jh.pretorius", PLAIN),
            ("ruan.botha", IMP),
        ),
        replies=(
            ReplyData("marike", 85, "Ek sal beskuit bak vir die koffieklub se kykaand!"),
            ReplyData("karla", 19, "Ek het so baie geleer. Nou weet ek wat die eerste kraak is!"),
        ),
        steps=(
            StepData(
                "planned",
                "zoe.vdm",
                80,
                "Wat 'n lekker idee, Annelie! Ons beplan die eerste toer vir die lente: João staan by die brander en "
                "ek tolk in Afrikaans.",
            ),
            StepData(
                "shipped",
                "zoe.vdm",
                21,
                "Die eerste virtuele toer was verlede Donderdag: 64 mense het gekyk, van Kaapstad tot Pretoria. Die "
                "opname is in Koffiekring, en die volgende toer is oor twee maande.",
            ),
        ),
    ),
    IdeaData(
        title="Betaal met SnapScan of Zapper",
        author="jh.pretorius",
        language="af",
        days_ago=30,
        category="app-ordering",
        body=(
            "Baie van ons betaal nie graag met 'n kredietkaart op die internet nie. As ek met SnapScan of Zapper op "
            "my foon kan betaal, sal ek meer gereeld bestel."
        ),
        votes=(("riaan.nel", CRIT), ("marike", IMP), ("wian.c", NICE), ("liezl", PLAIN), ("ruan.botha", NICE)),
        recent_votes=(("karla", IMP), ("grace.a", NICE), ("elmarie.j", PLAIN)),
        replies=(
            ReplyData("riaan.nel", 25, "Ja asseblief. Ek betaal by elke koffiewinkel in Bloemfontein met SnapScan."),
        ),
        steps=(
            StepData(
                "under_review",
                "zoe.vdm",
                16,
                "Dankie, Jan-Hendrik. Ons kyk saam met ons betaaldiens of ons SnapScan en Zapper vir Suid-Afrikaanse "
                "bestellings kan byvoeg.",
            ),
        ),
    ),
    IdeaData(
        title="Klein proesakkies van 125 g",
        author="elmarie.j",
        language="af",
        days_ago=60,
        category="packaging-delivery",
        body=(
            "Ek wil graag nuwe koffies probeer, maar 'n hele sak van 250 g is baie as ek nie weet of ek daarvan hou "
            "nie. Klein proesakkies van 125 g, of 'n proekissie met drie koffies, sou wonderlik wees."
        ),
        votes=(
            ("liezl", IMP),
            ("marike", NICE),
            ("karla", CRIT),
            ("annelie", IMP),
            ("pieter.dv", NICE),
            ("chloe.e", PLAIN),
            ("priya.n", NICE),
        ),
        recent_votes=(("riaan.nel", IMP), ("wian.c", NICE)),
        replies=(ReplyData("liezl", 55, "'n Proekissie sal ook 'n wonderlike geskenk wees!"),),
        steps=(
            StepData(
                "under_review",
                "zoe.vdm",
                50,
                "Dankie, Elmarie! Ons kyk of ons verpakkingsmasjien kleiner sakkies kan vul sonder dat die koffie sy "
                "varsheid verloor.",
            ),
            StepData(
                "planned",
                "zoe.vdm",
                18,
                "Dit gaan gebeur: 'n proekissie met drie sakkies van 125 g, elke maand met ander koffies. Ons beplan "
                "die eerste kissie vir die nuwe oes.",
            ),
        ),
    ),
    IdeaData(
        title="'n Rooibos-en-koffie-mengsel",
        author="wian.c",
        language="af",
        days_ago=45,
        category="coffee-roasts",
        body=(
            "In my koshuis drink almal rooibos. 'n Mengsel van rooibos en 'n sagte koffie sal dalk nuwe "
            "koffiedrinkers na Ponte bring."
        ),
        votes=(("karla", NICE), ("liezl", PLAIN), ("sipho.d", NICE), ("riaan.nel", PLAIN)),
        replies=(ReplyData("jh.pretorius", 36, "Ek is bly. Koffie is koffie en rooibos is rooibos!"),),
        steps=(
            StepData(
                "declined",
                "zoe.vdm",
                38,
                "Dankie vir die kreatiewe idee, Wian! Ons bly egter by suiwer koffie: in ons brandery kan ons nie tee "
                "en koffie apart hou nie, en die geure sal mekaar beïnvloed. Probeer gerus die Cerrado met 'n bietjie "
                "melk — dit is sag en soet.",
            ),
        ),
    ),
)

MERGES: tuple[MergeData, ...] = (
    MergeData(
        duplicate="One-tap reorder of my usual bags", original="A re-order button in the app", by=TIDIER, days_ago=4
    ),
)

BETA_GROUPS: tuple[BetaGroupData, ...] = (
    BetaGroupData(
        name="Refill pouch testers",
        description=(
            "A few members try the compostable refill pouches at home for a month: how fresh the coffee stays, "
            "how the pouch pours into the tin and whether it really composts. Tell us everything."
        ),
        idea="Refill pouches for the Ponte tin",
        created_by=MANAGER,
        message="You told us refills matter to you. Would you test the first pouches at home for a month?",
        invited=(("marike", True), ("dan.murphy", False)),
    ),
)


# --- Dates --------------------------------------------------------------------------------------


def _spread(count: int, start: float, end: float) -> list[float]:
    """`count` moments, in days ago, evenly between `start` and `end` (exclusive), oldest first."""
    gap = (start - end) / (count + 1)
    return [start - gap * (n + 1) for n in range(count)]


def vote_days(spec: IdeaData, *, window: int) -> list[float]:
    """When each vote of the spec came in, in days ago: `votes` first, then `recent_votes`."""
    closing = next((step.days_ago for step in spec.steps if step.status in ("shipped", "declined")), None)
    older_until = closing if closing is not None else min(window + 1, spec.days_ago)
    recent_from = min(window - 1, spec.days_ago)
    return _spread(len(spec.votes), spec.days_ago, older_until) + _spread(len(spec.recent_votes), recent_from, 0)


def _date_the_story(idea: Idea, spec: IdeaData, replies: list[Post], changes: list[StatusChange]) -> None:
    """Move the idea, its votes, replies and status changes to the days the story happened.

    The status changes count as told: their e-mails went out back then, so the worker must not
    send a couple of hundred of them to today's console.
    """
    now = timezone.now()

    def ago(days: float) -> datetime:
        return now - timedelta(days=days)

    proposed = ago(spec.days_ago)
    Idea.objects.filter(pk=idea.pk).update(
        created_at=proposed,
        status_changed_at=ago(spec.steps[-1].days_ago) if spec.steps else proposed,
        shipped_at=next((ago(step.days_ago) for step in spec.steps if step.status == "shipped"), None),
    )
    IdeaVote.objects.filter(idea=idea, user=idea.thread.author).update(created_at=proposed, updated_at=proposed)
    voters = [handle for handle, _importance in spec.votes + spec.recent_votes]
    for handle, days in zip(voters, vote_days(spec, window=settings.BELONG_IDEA_TRENDING_DAYS), strict=True):
        IdeaVote.objects.filter(idea=idea, user__handle=handle).update(created_at=ago(days), updated_at=ago(days))
    for change, step in zip(changes, spec.steps, strict=True):
        StatusChange.objects.filter(pk=change.pk).update(created_at=ago(step.days_ago), notified_at=ago(step.days_ago))
    Post.objects.filter(thread=idea.thread, is_opening=True).update(created_at=proposed, updated_at=proposed)
    for post, reply in zip(replies, spec.replies, strict=True):
        Post.objects.filter(pk=post.pk).update(created_at=ago(reply.days_ago), updated_at=ago(reply.days_ago))
    latest = Post.objects.filter(thread=idea.thread).aggregate(at=Max("created_at"))["at"]
    Thread.objects.filter(pk=idea.pk).update(created_at=proposed, updated_at=proposed, last_activity_at=latest)


# --- The steps ----------------------------------------------------------------------------------


@demo_step("ideas: categories", order=300)
def categories(ctx: DemoContext) -> None:
    manager = ctx.user(MANAGER)
    for spec in CATEGORIES:
        if not IdeaCategory.objects.filter(community=ctx.community, slug=spec.slug).exists():
            actions.create_category(actor=manager, community=ctx.community, name=spec.name, slug=spec.slug)
            ctx.count("idea categories")


def _tell(ctx: DemoContext, spec: IdeaData, space: Space) -> Idea:
    """Play one idea out: proposed, voted for, discussed, then moved along by the brand."""
    community = ctx.community
    category = IdeaCategory.objects.get(community=community, slug=spec.category) if spec.category else None
    product = Product.objects.get(community=community, slug=spec.product) if spec.product else None
    idea = actions.propose_idea(
        author=ctx.user(spec.author),
        space=space,
        title=spec.title,
        description=spec.body,
        category=category,
        product=product,
    )
    for handle, importance in spec.votes + spec.recent_votes:
        actions.vote(user=ctx.user(handle), idea=idea, importance=importance)
    ctx.count("idea votes", 1 + len(spec.votes) + len(spec.recent_votes))
    posts: list[Post] = [Post.objects.get(thread=idea.thread, is_opening=True)]
    for reply in spec.replies:
        to = posts[reply.to] if reply.to is not None else None
        posts.append(
            conversations.create_reply(author=ctx.user(reply.author), thread=idea.thread, body=reply.body, reply_to=to)
        )
    ctx.count("posts", len(posts))
    changes = [
        actions.change_status(actor=ctx.user(step.by), idea=idea, status=step.status, note=step.note)
        for step in spec.steps
    ]
    ctx.count("idea status changes", len(changes))
    _date_the_story(idea, spec, posts[1:], changes)
    return idea


@demo_step("ideas: proposed, voted, discussed and decided", order=310)
def ideas(ctx: DemoContext) -> None:
    space = Space.objects.get(community=ctx.community, slug=IDEAS_SPACE)
    have = set(Thread.objects.filter(community=ctx.community, kind=ThreadKind.IDEA).values_list("title", flat=True))
    for spec in IDEAS:
        if spec.title not in have:
            _tell(ctx, spec, space)
            ctx.count("ideas")


def _idea(ctx: DemoContext, title: str) -> Idea:
    return Idea.objects.select_related("thread").get(community=ctx.community, thread__title=title)


@demo_step("ideas: duplicates merged", order=320)
def merges(ctx: DemoContext) -> None:
    for spec in MERGES:
        duplicate = _idea(ctx, spec.duplicate)
        if duplicate.merged_into_id is None:
            actions.merge_ideas(actor=ctx.user(spec.by), source=duplicate, target=_idea(ctx, spec.original))
            merged_at = timezone.now() - timedelta(days=spec.days_ago)
            Idea.objects.filter(pk=duplicate.pk).update(merged_at=merged_at)
            ctx.count("merged ideas")


@demo_step("ideas: private beta groups", order=330)
def beta_groups(ctx: DemoContext) -> None:
    for spec in BETA_GROUPS:
        manager = ctx.user(spec.created_by)
        group = BetaGroup.objects.filter(community=ctx.community, name=spec.name).first()
        if group is None:
            group = actions.create_beta_group(
                actor=manager,
                community=ctx.community,
                name=spec.name,
                description=spec.description,
                idea=_idea(ctx, spec.idea),
            )
            ctx.count("beta groups")
        invited = set(BetaInvitation.objects.filter(group=group).values_list("user__handle", flat=True))
        newcomers = [ctx.user(handle) for handle, _accepted in spec.invited if handle not in invited]
        if not newcomers:
            continue
        for invitation in actions.invite_to_beta(actor=manager, group=group, users=newcomers, message=spec.message):
            accepts = dict(spec.invited)[invitation.user.handle]
            if accepts and invitation.state == BetaInvitationState.INVITED:
                actions.answer_beta_invitation(
                    user=ctx.user(invitation.user.handle), invitation=invitation, accept=True
                )
        ctx.count("beta invitations", len(newcomers))
