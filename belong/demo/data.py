"""The demo community as plain data: Ponte Coffee Roasters, its spaces, its people and their stories.

Everything here is fictional. E-mail addresses use the reserved `.example` domain. Bios are
written in each member's own language, the way they would write them. Steps in `loader.py`
turn this data into rows through the actions, so the demo behaves like real use.
"""

from __future__ import annotations

from dataclasses import dataclass

from belong.communities.models import JoinPolicy, MembershipState, Role, SpaceVisibility

# One password for every demo account, printed at the end of `load_demo`.
DEMO_PASSWORD = "belong-demo"

OPERATOR_HANDLE = "operator"
OPERATOR_EMAIL = "operator@belong.example"


@dataclass(frozen=True)
class CommunityData:
    name: str
    slug: str
    description: str
    purpose: str
    goals: str
    languages: tuple[str, ...]
    join_policy: str


@dataclass(frozen=True)
class SpaceData:
    slug: str
    name: str
    description: str
    visibility: str = SpaceVisibility.PUBLIC
    allowed_roles: tuple[str, ...] = ()


# How a person came in: asked to join (approved unless still pending), by the ambassador's
# link, by a personal e-mail invitation, or as the founder who created the community.
REQUEST = "request"
LINK = "link"
EMAIL = "email"
FOUNDER = "founder"


@dataclass(frozen=True)
class Person:
    handle: str
    name: str
    email: str
    locale: str
    time_zone: str
    bio: str
    role: str = Role.MEMBER
    state: str = MembershipState.ACTIVE
    joins_by: str = REQUEST
    trust_level: int = 0
    state_reason: str = ""


@dataclass(frozen=True)
class InvitationData:
    """An invitation, found again by its key (link: inviter and role; e-mail: the address)."""

    key: str
    inviter: str
    role: str = Role.MEMBER
    email: str = ""
    max_uses: int | None = None
    days: int = 30


COMMUNITY = CommunityData(
    name="Ponte Coffee Roasters",
    slug="ponte",
    description=(
        "Ponte roasts speciality coffee in Porto from lots we buy directly from growers in Minas Gerais, "
        "Huila and Sidama, and sends it to home brewers and cafés from Lisbon to Sofia and Cape Town.\n\n"
        "This is our own community, not a page we rent on a social network. Ask and answer brewing "
        "questions, tell us honestly what you think of each lot, propose the coffees and gear we should "
        "make next, and meet the people who grow, roast and drink it. We read everything, in English, "
        "Portuguese, Bulgarian and Afrikaans."
    ),
    purpose=(
        "Dialogue instead of monologue: a place that belongs to the people who drink our coffee, where "
        "members help each other brew better, critics and creators shape what we roast next, and the "
        "growers behind every bag have a voice. We give our knowledge, early access and a real say in "
        "the line-up; members give us their time, their honesty and their ideas. We want that balance "
        "to stay fair."
    ),
    goals=(
        "- Every brewing question gets a helpful answer within a day, from members first and from the "
        "roastery where it gets technical.\n"
        "- Every new lot gets honest reviews, and every review gets a reply from the roastery.\n"
        "- Choose at least two coffees a year together on the ideas board, and tell every voter what we did.\n"
        "- Bring growers, roasters and drinkers into one conversation: farm stories, cupping sessions and "
        "meet-ups in Porto, São Paulo, Sofia and Cape Town.\n"
        "- Recognise the members who help most: ambassadors, experts and the regulars who keep the place warm."
    ),
    languages=("en", "pt", "bg", "af"),
    join_policy=JoinPolicy.APPROVAL,
)

# The first space, "general", is created with the community; the demo gives it a description.
SPACES: tuple[SpaceData, ...] = (
    SpaceData(
        slug="general",
        name="General",
        description=(
            "Introduce yourself, tell us where and how you brew, and talk about anything coffee that "
            "does not fit elsewhere."
        ),
    ),
    SpaceData(
        slug="announcements",
        name="From the roastery",
        description=(
            "New lots, roast dates, shipping news and events, straight from the team in Porto. Reply and "
            "ask away: answers from the roastery are marked as official."
        ),
    ),
    SpaceData(
        slug="brew-help",
        name="Brew help",
        description=(
            "Questions about grinders, ratios, water, espresso and filter. Mark the answer that solved it, "
            "so the next person finds it."
        ),
    ),
    SpaceData(
        slug="ideas",
        name="Ideas & co-creation",
        description=(
            "Propose the coffees, blends, gear and subscriptions you want, vote for the ones you like, and "
            "follow them from “under review” to “shipped”."
        ),
        visibility=SpaceVisibility.MEMBERS,
    ),
    SpaceData(
        slug="roda-de-cafe",
        name="Roda de café",
        description=(
            "O cantinho de quem fala português, de Portugal ao Brasil: provas em casa, encontros no Porto, "
            "em Lisboa e em São Paulo, e notícias das fazendas de Minas Gerais."
        ),
        visibility=SpaceVisibility.MEMBERS,
    ),
    SpaceData(
        slug="kafe-klub",
        name="Кафе клуб",
        description=(
            "Място за всички, които пият кафе от Ponte в България: срещи в София, Пловдив и Варна, съвети "
            "за приготвяне у дома и мнения за всяка нова реколта."
        ),
        visibility=SpaceVisibility.MEMBERS,
    ),
    SpaceData(
        slug="koffiekring",
        name="Koffiekring",
        description=(
            "Vir almal wat in Suid-Afrika Ponte-koffie drink: proe-aande in Kaapstad en Stellenbosch, wenke "
            "oor brou by die huis, en eerlike menings oor elke nuwe koffie uit die brandery."
        ),
        visibility=SpaceVisibility.MEMBERS,
    ),
    SpaceData(
        slug="behind-the-scenes",
        name="Behind the scenes",
        description=(
            "Roast profiles before release, sample lots to taste and critique, and early drafts of next "
            "season's line-up. For ambassadors, experts and the Ponte team: please keep what you read here "
            "to yourselves until it ships."
        ),
        visibility=SpaceVisibility.RESTRICTED,
        allowed_roles=(Role.AMBASSADOR, Role.EXPERT),
    ),
)

LISBON = "Europe/Lisbon"
SAO_PAULO = "America/Sao_Paulo"
SOFIA = "Europe/Sofia"
SOUTH_AFRICA = "Africa/Johannesburg"
LONDON = "Europe/London"
DUBLIN = "Europe/Dublin"

# The founder first, then everyone in the order their story is played out: people who hand out
# roles or invitations come before the people who receive them.
PEOPLE: tuple[Person, ...] = (
    # The founder and owner.
    Person(
        "marta",
        "Marta Ferreira",
        "marta@ponte.example",
        "pt",
        LISBON,
        "Fundei a Ponte em 2016, numa garagem em Matosinhos, com um torrador de cinco quilos e muita "
        "teimosia. Hoje passo mais tempo nas fazendas e a ler esta comunidade do que ao torrador — e ainda bem.",
        role=Role.OWNER,
        joins_by=FOUNDER,
        trust_level=4,
    ),
    # Community managers.
    Person(
        "hannah",
        "Hannah Okafor",
        "hannah@ponte.example",
        "en",
        LONDON,
        "Community manager at Ponte. I read every post, chase every unanswered question and make sure your "
        "ideas reach the roastery. Flat white, no sugar, too many cups.",
        role=Role.MANAGER,
        trust_level=4,
    ),
    Person(
        "zoe.vdm",
        "Zoë van der Merwe",
        "zoe@ponte.example",
        "af",
        SOUTH_AFRICA,
        "Gemeenskapsbestuurder by Ponte in Kaapstad. Ek help julle om mekaar te vind, reël ons proe-aande en "
        "sorg dat elke vraag 'n antwoord kry. Moerkoffie op die kampvuur bly my swakplek.",
        role=Role.MANAGER,
        trust_level=4,
    ),
    # Brand staff.
    Person(
        "joao.torra",
        "João Pedro Santos",
        "joao@ponte.example",
        "pt",
        LISBON,
        "Mestre de torra no Porto. Se o café desta semana está mais claro do que esperava, a culpa é minha — "
        "e quero saber. Respondo a perguntas sobre perfis de torra e frescura.",
        role=Role.STAFF,
        trust_level=3,
    ),
    Person(
        "camila.origem",
        "Camila Ribeiro",
        "camila@ponte.example",
        "pt",
        SAO_PAULO,
        "Compradora de café verde da Ponte, baseada em Minas Gerais. Passo a safra visitando as fazendas "
        "parceiras e trago para cá as histórias de quem planta o café que vocês tomam.",
        role=Role.STAFF,
        trust_level=3,
    ),
    Person(
        "georgi",
        "Георги Иванов",
        "georgi@ponte.example",
        "bg",
        SOFIA,
        "Грижа за клиентите на Ponte в България и Източна Европа. Ако пратката ви закъснява или кафето не е "
        "такова, каквото очаквате, пишете ми — отговарям на български и на английски.",
        role=Role.STAFF,
        trust_level=3,
    ),
    Person(
        "liam.byrne",
        "Liam Byrne",
        "liam@ponte.example",
        "en",
        DUBLIN,
        "I look after the cafés and offices that serve Ponte, from Dublin to Cape Town. Ask me about "
        "wholesale, equipment loans and training your team.",
        role=Role.STAFF,
        trust_level=3,
    ),
    # Moderators.
    Person(
        "petya",
        "Петя Димитрова",
        "petya.dimitrova@mail.example",
        "bg",
        SOFIA,
        "Модератор и домакин на кафе срещите в София. Пия еспресо сутрин и филтър следобед. Моля, бъдете "
        "любезни един към друг — всички сме тук, за да научим нещо ново.",
        role=Role.MODERATOR,
        trust_level=3,
    ),
    Person(
        "ruan.botha",
        "Ruan Botha",
        "ruan.botha@mail.example",
        "af",
        SOUTH_AFRICA,
        "Moderator en tuisbarista in Pretoria. Ek hou die gesprekke vriendelik en die gemors buite. Vra my "
        "gerus oor handmeules — ek het al te veel daarvan.",
        role=Role.MODERATOR,
        trust_level=3,
    ),
    Person(
        "sarah.m",
        "Sarah Mitchell",
        "sarah.mitchell@mail.example",
        "en",
        "Australia/Melbourne",
        "Moderator from Melbourne, where the coffee debates get heated. I keep threads on topic and make sure "
        "newcomers get a friendly first answer.",
        role=Role.MODERATOR,
        trust_level=3,
    ),
    # Ambassadors.
    Person(
        "lucas.brew",
        "Lucas Oliveira",
        "lucas.oliveira@mail.example",
        "pt",
        SAO_PAULO,
        "Barista caseiro em São Paulo e embaixador da Ponte. Gravo vídeos de receitas no V60 e na AeroPress "
        "e organizo os encontros da comunidade aqui na cidade.",
        role=Role.AMBASSADOR,
        trust_level=3,
    ),
    Person(
        "nadya",
        "Надя Петкова",
        "nadya.petkova@mail.example",
        "bg",
        SOFIA,
        "Посланик на Ponte в България. Пиша малък блог за кафе и организирам дегустации в Пловдив. Обичам "
        "светли печения с плодови нотки.",
        role=Role.AMBASSADOR,
        trust_level=3,
    ),
    Person(
        "annelie",
        "Annelie Steyn",
        "annelie.steyn@mail.example",
        "af",
        SOUTH_AFRICA,
        "Ambassadeur vir Ponte in Stellenbosch. Ek lei 'n koffieklub van twintig mense wat elke maand saam 'n "
        "nuwe koffie proe — nuwe lede is altyd welkom!",
        role=Role.AMBASSADOR,
        trust_level=3,
    ),
    Person(
        "tom.h",
        "Tom Hargreaves",
        "tom.hargreaves@mail.example",
        "en",
        LONDON,
        "Home barista in Leeds and Ponte ambassador. I make brewing videos, break grinders so you don't have "
        "to, and host the monthly UK cupping call.",
        role=Role.AMBASSADOR,
        trust_level=3,
    ),
    # Experts; Mariana came in through a personal invitation from Hannah.
    Person(
        "mariana.q",
        "Mariana Costa",
        "mariana.costa@mail.example",
        "pt",
        LISBON,
        "Provadora certificada Q Arabica em Lisboa. Ajudo a descrever o que está na chávena — acidez, doçura, "
        "corpo — sem jargão desnecessário.",
        role=Role.EXPERT,
        joins_by=EMAIL,
        trust_level=2,
    ),
    Person(
        "stoyan",
        "Стоян Колев",
        "stoyan.kolev@mail.example",
        "bg",
        SOFIA,
        "Сервизен техник на еспресо машини от петнадесет години. Питайте ме за налягане, температура, котлен "
        "камък и защо машината ви издава странни звуци.",
        role=Role.EXPERT,
        trust_level=2,
    ),
    Person(
        "pieter.dv",
        "Pieter de Villiers",
        "pieter.devilliers@mail.example",
        "af",
        SOUTH_AFRICA,
        "Chemikus en koffiebrander in die Paarl. Ek help met watersamestelling, ekstraksie en die wetenskap "
        "agter 'n goeie koppie.",
        role=Role.EXPERT,
        trust_level=2,
    ),
    Person(
        "aisha.k",
        "Aisha Khan",
        "aisha.khan@mail.example",
        "en",
        LONDON,
        "Barista trainer and former UK latte art finalist. Happy to help with milk texture, dialling in "
        "espresso and setting up a small café bar.",
        role=Role.EXPERT,
        trust_level=2,
    ),
    # Members who asked to join and were approved.
    Person(
        "emily.c",
        "Emily Clarke",
        "emily.clarke@mail.example",
        "en",
        LONDON,
        "New to speciality coffee: I got a hand grinder for my birthday and now I own three scales. Mostly "
        "V60 before work.",
        trust_level=1,
    ),
    Person(
        "dan.murphy",
        "Daniel Murphy",
        "daniel.murphy@mail.example",
        "en",
        DUBLIN,
        "Cyclist, software tester, moka pot loyalist. I'll tell you when a coffee disappoints me, and I'll "
        "tell you when it's brilliant.",
        trust_level=1,
    ),
    Person(
        "priya.n",
        "Priya Nair",
        "priya.nair@mail.example",
        "en",
        LONDON,
        "Manchester. I keep every tasting note in a spreadsheet that has got rather out of hand. Happy to share it.",
        trust_level=2,
    ),
    Person(
        "jack.t",
        "Jack Thompson",
        "jack.thompson@mail.example",
        "en",
        "Australia/Sydney",
        "I run a small café in Newcastle, NSW. Here for wholesale tips and to borrow ideas from other café owners.",
        trust_level=1,
    ),
    Person(
        "grace.a",
        "Grace Adeyemi",
        "grace.adeyemi@mail.example",
        "en",
        SOUTH_AFRICA,
        "Johannesburg. Cold brew all summer, French press all winter. Mostly here to read, sometimes to ask.",
    ),
    Person(
        "oli.b",
        "Oliver Bennett",
        "oliver.bennett@mail.example",
        "en",
        LONDON,
        "Bristol. I photograph every cup I make and occasionally drink one.",
        trust_level=1,
    ),
    Person(
        "bia.almeida",
        "Beatriz Almeida",
        "beatriz.almeida@mail.example",
        "pt",
        LISBON,
        "Estudante de design em Lisboa. Comecei pela AeroPress e agora ando a namorar uma máquina de espresso. "
        "Conselhos bem-vindos!",
        trust_level=1,
    ),
    Person(
        "rafa.souza",
        "Rafael Souza",
        "rafael.souza@mail.example",
        "pt",
        SAO_PAULO,
        "Mineiro de Belo Horizonte, cresci numa família de cafeicultores. Gosto de comparar o café da Ponte "
        "com o que a gente colhia no sítio.",
        trust_level=2,
    ),
    Person(
        "ines.c",
        "Inês Carvalho",
        "ines.carvalho@mail.example",
        "pt",
        LISBON,
        "Porto. Bebo o meu café numa chávena que foi da minha avó e tenho opiniões fortes sobre moinhos.",
        trust_level=1,
    ),
    Person(
        "gabi.f",
        "Gabriel Ferreira",
        "gabriel.ferreira@mail.example",
        "pt",
        SAO_PAULO,
        "Curitiba. Trabalho com TI e passo café no coador todo dia. Estou aqui para aprender a acertar a moagem.",
    ),
    Person(
        "analu",
        "Ana Luísa Martins",
        "analuisa.martins@mail.example",
        "pt",
        LISBON,
        "Professora em Coimbra. Leio tudo e escrevo pouco, mas as críticas da semana passada convenceram-me a "
        "experimentar o lote da Etiópia.",
    ),
    Person(
        "thiago.rocha",
        "Thiago Rocha",
        "thiago.rocha@mail.example",
        "pt",
        SAO_PAULO,
        "Rio de Janeiro. Barista de fim de semana, fã de espresso curto e de um bom papo na padaria.",
        trust_level=1,
    ),
    Person(
        "maria.g",
        "Мария Георгиева",
        "maria.georgieva@mail.example",
        "bg",
        SOFIA,
        "Архитект от София. Пия филтър кафе от Ponte вече три години и обичам да сравнявам реколтите.",
        trust_level=2,
    ),
    Person(
        "ivan.petrov",
        "Иван Петров",
        "ivan.petrov@mail.example",
        "bg",
        SOFIA,
        "Пловдив. Току-що си купих първата ръчна мелачка и имам много въпроси.",
    ),
    Person(
        "elena.s",
        "Елена Стоянова",
        "elena.stoyanova@mail.example",
        "bg",
        SOFIA,
        "Варна. Правя кафе на джезве, както ме научи баба ми, но искам да опитам и по-светли печения.",
        trust_level=1,
    ),
    Person(
        "niki.t",
        "Николай Тодоров",
        "nikolay.todorov@mail.example",
        "bg",
        SOFIA,
        "Имам малко кафене в центъра на София и търся по-добро еспресо за гостите си.",
        trust_level=1,
    ),
    Person(
        "desi.m",
        "Десислава Маринова",
        "desislava.marinova@mail.example",
        "bg",
        SOFIA,
        "Бургас. Лятото пия студено кафе и пазя по една торбичка от всяка реколта.",
        trust_level=1,
    ),
    Person(
        "kaloyan",
        "Калоян Ангелов",
        "kaloyan.angelov@mail.example",
        "bg",
        SOFIA,
        "Велико Търново. Уча химия и искам да разбера какво точно се случва при екстракцията.",
    ),
    Person(
        "jh.pretorius",
        "Jan-Hendrik Pretorius",
        "janhendrik.pretorius@mail.example",
        "af",
        SOUTH_AFRICA,
        "Boer naby Pretoria en koffiedrinker so lank as wat ek kan onthou. Ek sê my mening reguit, veral oor "
        "die prys van koffie.",
        trust_level=1,
    ),
    Person(
        "marike",
        "Marike du Toit",
        "marike.dutoit@mail.example",
        "af",
        SOUTH_AFRICA,
        "Kaapstad. Ek bak brood, ek brou koffie en ek deel albei met my bure.",
        trust_level=1,
    ),
    Person(
        "riaan.nel",
        "Riaan Nel",
        "riaan.nel@mail.example",
        "af",
        SOUTH_AFRICA,
        "Bloemfontein. Ek lees meer as wat ek skryf, maar ek stem altyd vir goeie idees.",
    ),
    Person(
        "elmarie.j",
        "Elmarie Joubert",
        "elmarie.joubert@mail.example",
        "af",
        SOUTH_AFRICA,
        "Onderwyseres in die Paarl en koffieliefhebber. My gunsteling is 'n sagte filterkoffie met melk.",
        trust_level=1,
    ),
    Person(
        "wian.c",
        "Wian Coetzee",
        "wian.coetzee@mail.example",
        "af",
        SOUTH_AFRICA,
        "Student en fietsryer in Stellenbosch, altyd op soek na die perfekte espresso op 'n studentebegroting.",
    ),
    Person(
        "liezl",
        "Liezl Venter",
        "liezl.venter@mail.example",
        "af",
        SOUTH_AFRICA,
        "George. Ek neem foto's van koffie en van die berge, en soms van albei saam.",
        trust_level=1,
    ),
    # Members who came in through Annelie's invitation link (referrals).
    Person(
        "karla",
        "Karla Lombard",
        "karla.lombard@mail.example",
        "af",
        SOUTH_AFRICA,
        "Annelie het my na die koffieklub genooi. Ek is nuut hier en leer nog wat 'n V60 is.",
        joins_by=LINK,
    ),
    Person(
        "sipho.d",
        "Sipho Dlamini",
        "sipho.dlamini@mail.example",
        "en",
        SOUTH_AFRICA,
        "Durban. Joined through Annelie's coffee club. I roast a little at home in a popcorn machine — don't "
        "tell the roastery.",
        joins_by=LINK,
    ),
    Person(
        "chloe.e",
        "Chloe Evans",
        "chloe.evans@mail.example",
        "en",
        SOUTH_AFRICA,
        "Cape Town by way of Cardiff. Here for the cupping evenings and the people.",
        joins_by=LINK,
    ),
    # Joined this week: a newcomer whose first question waits for approval, and a shop that spams.
    Person(
        "rita.nova",
        "Rita Nova",
        "rita.nova@mail.example",
        "pt",
        LISBON,
        "Nova no café de especialidade. A aprender a usar a prensa francesa que me ofereceram no Natal.",
    ),
    Person(
        "grinder.deals",
        "Grinder Deals",
        "deals@grinder-deals.example",
        "en",
        LONDON,
        "Hand grinders at the best prices.",
    ),
    # Requests still waiting for a manager.
    Person(
        "vasil.h",
        "Васил Христов",
        "vasil.hristov@mail.example",
        "bg",
        SOFIA,
        "Русе. Приятел ми препоръча кафето ви и искам да видя за какво толкова се говори тук.",
        state=MembershipState.PENDING,
    ),
    Person(
        "carol.mendes",
        "Carolina Mendes",
        "carolina.mendes@mail.example",
        "pt",
        "America/Recife",
        "Recife. Vi um vídeo do Lucas sobre AeroPress e fiquei curiosa para conhecer a comunidade.",
        state=MembershipState.PENDING,
    ),
    # A member suspended by a moderator, one banned by a manager, and two who left.
    Person(
        "mark.d",
        "Mark Davies",
        "mark.davies@mail.example",
        "en",
        LONDON,
        "Espresso purist. If you put milk in it, we disagree.",
        state=MembershipState.SUSPENDED,
        state_reason=(
            "Insulted other members in Brew help again after two warnings. Seven days to cool off; you can still read."
        ),
    ),
    Person(
        "quick.beans",
        "Cheap Beans Deals",
        "deals@quick-beans.example",
        "en",
        "UTC",
        "Best prices on coffee!!! Link in profile!!!",
        state=MembershipState.BANNED,
        state_reason="Posted links to a counterfeit coffee shop in every space within an hour of joining.",
    ),
    Person(
        "sofia.a",
        "Sofia Antunes",
        "sofia.antunes@mail.example",
        "pt",
        LISBON,
        "Mudei-me para o chá, mas levo boas memórias desta comunidade.",
        state=MembershipState.LEFT,
        trust_level=1,
    ),
    Person(
        "mitko.v",
        "Димитър Василев",
        "dimitar.vasilev@mail.example",
        "bg",
        SOFIA,
        "Бях тук заради абонамента. Сега купувам кафе от приятел, който сам пече зърната.",
        state=MembershipState.LEFT,
    ),
)

INVITATIONS: tuple[InvitationData, ...] = (
    # Annelie shares one link with her coffee club in Stellenbosch.
    InvitationData(key=LINK, inviter="annelie", max_uses=25),
    # Hannah invites a Q grader as an expert; she accepts.
    InvitationData(key=EMAIL, inviter="hannah", role=Role.EXPERT, email="mariana.costa@mail.example", days=14),
    # Liam invites a café in Cape Town; they have not answered yet.
    InvitationData(key="kloofstraat", inviter="liam.byrne", email="hello@kloofstraat-cafe.example", days=14),
)

# Who hands out roles, approves requests and takes moderation decisions in the demo.
FOUNDER_HANDLE = "marta"
MANAGER_HANDLE = "hannah"
MODERATOR_HANDLE = "sarah.m"
SUSPENSION_DAYS = 7

# The accounts printed at the end, for trying the demo.
SHOWCASE_MANAGER = "hannah"
SHOWCASE_MEMBER = "emily.c"
