"""Sixty days of Ponte's member posts for the insights pages, as plain data (see `belong/insights/demo.py`).

A quiet baseline of praise, questions and recurring complaints (late deliveries, the app signing
people out, the hand grinder's loose handle, stale coffee) in English, Portuguese, Bulgarian and
Afrikaans, then one crisis three days ago: the subscription renewal run charged members twice.
Every text is written as a member or the roastery would write it, in their own language.
"""

from __future__ import annotations

from dataclasses import dataclass

from belong.conversations.models import ThreadKind

# The pain points the complaints are about: the demo finds each one's theme by these posts.
DELIVERY = "delivery"
APP = "app"
GRINDER = "grinder"
STALE = "stale"
DOUBLE_CHARGE = "double-charge"

# Days before today (UTC) of the crisis.
CRISIS_DAY = 3


@dataclass(frozen=True)
class Reply:
    author: str
    hours: float  # after the opening post
    body: str


@dataclass(frozen=True)
class Story:
    """A thread: opened `day` days before today at `hour` (UTC), then answered `hours` later."""

    day: int
    hour: float
    space: str
    author: str
    kind: str
    title: str
    body: str
    topic: str = ""
    replies: tuple[Reply, ...] = ()


Q, D, C, P, S = ThreadKind.QUESTION, ThreadKind.DISCUSSION, ThreadKind.CRITICISM, ThreadKind.PRAISE, ThreadKind.STORY
EN, PT, BG, AF = "general", "roda-de-cafe", "kafe-klub", "koffiekring"

BASELINE: tuple[Story, ...] = (
    Story(
        60,
        9,
        EN,
        "grace.a",
        P,
        "The Huila Washed made my Monday",
        "Opened a fresh bag of the Huila this morning and the whole kitchen smelled of red apples. Brewed it on "
        "the V60 and it was sweet, clean and bright. Thank you for roasting it so carefully.",
        replies=(Reply("tom.h", 3, "Agreed, it's the best lot you've had this year."),),
    ),
    Story(
        59,
        14,
        BG,
        "elena.s",
        C,
        "Пак чакам пратката си",
        "Поръчката ми е от понеделник, а днес е петък. Проследяването показва „в склад“ от три дни. Кафето ми "
        "свърши и се налага да пия разтворимо. Много неприятно.",
        DELIVERY,
        (
            Reply(
                "georgi",
                5,
                "Елена, съжалявам за забавянето. Проверих — пратката е във Варна и куриерът обещава "
                "доставка утре сутрин. Ще ви пиша, ако нещо се промени.",
            ),
            Reply("elena.s", 26, "Пристигна най-накрая, благодаря за помощта."),
        ),
    ),
    Story(
        58,
        10,
        PT,
        "gabi.f",
        Q,
        "Que moagem para a prensa francesa?",
        "Comprei o Cerrado Mineiro e uma prensa francesa. Que moagem devo usar e quanto tempo deixo em infusão?",
        replies=(
            Reply(
                "mariana.q",
                2,
                "Moagem grossa, como sal grosso, e quatro minutos. Depois mexa ao de leve e "
                "espere mais um minuto antes de pressionar.",
            ),
            Reply("gabi.f", 20, "Perfeito, ficou doce e sem borra. Obrigado!"),
        ),
    ),
    Story(
        57,
        16,
        AF,
        "marike",
        P,
        "Die Sidama is hemels",
        "Ek het gister die Sidama in my V60 gemaak en dit proe soos bloubessies en donker sjokolade. Beslis die "
        "beste koffie wat ek hierdie jaar gedrink het. Baie dankie, Ponte!",
        replies=(Reply("annelie", 4, "Ek stem saam! Ons het dit by die koffieklub geproe en almal wou meer hê."),),
    ),
    Story(
        56,
        11,
        EN,
        "oli.b",
        C,
        "Logged out of the app again",
        "Third time this week the Ponte app has logged me out, and the password reset e-mail takes an hour to "
        "arrive. I just want to check when my subscription ships. Really frustrating.",
        APP,
        (
            Reply(
                "liam.byrne",
                4,
                "Sorry, Oliver. We have seen more sign-in failures since the last app release "
                "and the developers are on it. Until the fix ships, the shop website shows the same subscription "
                "page.",
            ),
            Reply("sipho.d", 6, "Same here on Android. It forgets me every time I close it."),
        ),
    ),
    Story(
        55,
        8,
        BG,
        "kaloyan",
        Q,
        "Колко кафе за аеропрес?",
        "Купих си аеропрес. Колко грама кафе и колко вода да сложа за една чаша?",
        replies=(
            Reply("stoyan", 3, "Започни с 15 г кафе и 230 г вода на 90 °C, две минути. После коригирай по вкус."),
            Reply("kaloyan", 10, "Благодаря, получи се чудесно!"),
        ),
    ),
    Story(
        54,
        15,
        AF,
        "riaan.nel",
        C,
        "Die handvatsel van my maler is los",
        "My Ponte-handmaler is net twee maande oud en die handvatsel draai al los. Elke oggend moet ek dit weer "
        "vasdraai. Vir daardie prys het ek beter verwag.",
        GRINDER,
        (
            Reply(
                "zoe.vdm",
                6,
                "Jammer, Riaan. Stuur asseblief vir ons 'n foto; ons stuur vir jou 'n nuwe skroef en "
                "'n wasser wat dit regmaak.",
            ),
            Reply("pieter.dv", 8, "'n Druppel draadsluiter op die skroef help ook. Myne is al maande reg."),
        ),
    ),
    Story(
        53,
        13,
        EN,
        "chloe.e",
        Q,
        "How long should I rest the Sidama?",
        "My bag was roasted four days ago. Is it ready for filter, or should I wait a bit longer?",
        replies=(
            Reply("aisha.k", 2, "Give it a week. Naturals like the Sidama open up a lot between day 7 and day 14."),
        ),
    ),
    Story(
        52,
        18,
        PT,
        "ines.c",
        P,
        "O Huila com leite está divinal",
        "Fiz um galão com o Huila Washed e fiquei surpreendida: a maçã e o açúcar mascavado aparecem mesmo com "
        "leite. Obrigada pelo cuidado na torra!",
        replies=(Reply("camila.origem", 5, "Que bom, Inês! Vou contar à família Ruiz, eles vão adorar."),),
    ),
    Story(
        51,
        9,
        BG,
        "nadya",
        P,
        "Дегустацията в Пловдив беше страхотна",
        "Благодаря на всички, които дойдоха в събота! Опитахме три кафета и всички си тръгнаха с усмивки. "
        "Следващия месец правим същото във Варна.",
        replies=(
            Reply("desi.m", 4, "Беше чудесно, благодаря за организацията!"),
            Reply("maria.g", 6, "Жалко, че я изпуснах. Чакам Варна!"),
        ),
    ),
    Story(
        50,
        12,
        EN,
        "dan.murphy",
        C,
        "Parcel stuck at the depot for a week",
        "My order has been sitting at the courier's depot in Dublin for seven days. Nobody answers the phone and "
        "the tracking page hasn't changed. I paid for express delivery, which is a joke at this point.",
        DELIVERY,
        (
            Reply(
                "liam.byrne",
                3,
                "That's not good enough, Dan, and I'm sorry. I've opened a claim with the courier "
                "and a replacement bag leaves Porto today with another carrier. You'll get the express fee back "
                "as well.",
            ),
            Reply("dan.murphy", 30, "Replacement arrived this morning. Thanks for sorting it."),
        ),
    ),
    Story(
        49,
        10,
        AF,
        "karla",
        Q,
        "Watter maalinstelling vir 'n mokapot?",
        "Ek het 'n nuwe mokapot gekry. Hoe fyn moet ek maal met die Ponte-handmaler?",
        replies=(
            Reply(
                "pieter.dv",
                3,
                "Sowat 12 klikke vanaf nul, effens growwer as vir espresso. Moenie die "
                "koffie in die mandjie vasdruk nie.",
            ),
        ),
    ),
    Story(
        48,
        15,
        PT,
        "thiago.rocha",
        C,
        "Não consigo entrar no aplicativo",
        "Desde ontem o aplicativo diz que a minha senha está errada, mas no site eu entro sem problema. Já "
        "reinstalei duas vezes. Mais alguém?",
        APP,
        (
            Reply(
                "rafa.souza",
                2,
                "Comigo aconteceu o mesmo. Tive que apagar os dados do app para conseguir entrar de novo.",
            ),
            Reply(
                "joao.torra",
                5,
                "Thiago, obrigado pelo aviso. A equipa da aplicação já conhece o erro de início "
                "de sessão e está a preparar uma correção para esta semana.",
            ),
        ),
    ),
    Story(
        47,
        11,
        BG,
        "ivan.petrov",
        C,
        "Кафето пристигна без аромат",
        "Отворих новия пакет Хуила и почти няма аромат. Датата на изпичане е отпреди два месеца, а на сайта "
        "пише, че изпращате прясно изпечено кафе. Разочарован съм.",
        STALE,
        (
            Reply(
                "georgi",
                4,
                "Иване, това не трябваше да се случи — пакетът е от стара партида, останала в "
                "склада в София. Изпращаме ви нов, изпечен тази седмица.",
            ),
        ),
    ),
    Story(
        46,
        9,
        EN,
        "tom.h",
        S,
        "Cupping call recap: three naturals side by side",
        "Twelve of us tasted the Sidama, a Brazilian natural and a Costa Rican honey on Sunday's call. The "
        "Sidama won on sweetness, the Brazilian on body. Notes are in the shared sheet if you missed it.",
        replies=(
            Reply("priya.n", 5, "Loved it. Can we do washed coffees next time?"),
            Reply("hannah", 7, "Washed coffees next month it is — we'll send the samples a week before."),
        ),
    ),
    Story(
        45,
        14,
        AF,
        "jh.pretorius",
        C,
        "Bestelling al twee weke onderweg",
        "Ek het op die eerste bestel en die koffie is nog nie hier nie. Die koerier sê dit lê by die doeane in "
        "Johannesburg, maar niemand kan vir my sê hoe lank nog nie. Dis regtig swak.",
        DELIVERY,
        (
            Reply(
                "zoe.vdm",
                5,
                "Jan-Hendrik, ek is jammer. Die doeane hou tans al ons pakkies 'n week langer vas. "
                "Ons het jou bestelling opgespoor en dit behoort Vrydag by jou te wees.",
            ),
            Reply("liezl", 7, "Myne het ook tien dae gevat. Dit gebeur gereeld die laaste tyd."),
        ),
    ),
    Story(
        44,
        10,
        PT,
        "lucas.brew",
        P,
        "Encontro em São Paulo: obrigado a todos!",
        "Ontem fizemos a primeira prova da Ponte em São Paulo. Vinte e cinco pessoas, três métodos e muita "
        "conversa boa. Já estamos pensando na próxima!",
        replies=(Reply("bia.almeida", 3, "Foi incrível! Finalmente aprendi a fazer um V60 direito."),),
    ),
    Story(
        43,
        13,
        "brew-help",
        "jack.t",
        Q,
        "Is a gooseneck kettle worth it?",
        "I pour from a normal kettle and my V60 brews are uneven. Would a gooseneck kettle really make a "
        "difference, or is it just for show?",
        replies=(
            Reply(
                "aisha.k",
                2,
                "It makes a real difference: you control the flow, so the bed extracts evenly. A cheap one is fine.",
            ),
            Reply("emily.c", 5, "It was the best twenty pounds I've spent on coffee."),
        ),
    ),
    Story(
        42,
        16,
        BG,
        "desi.m",
        C,
        "Приложението не ме пуска",
        "От обновяването насам приложението не приема паролата ми. Нулирах я два пъти, но пак не мога да "
        "вляза, а трябва да сменя адреса за доставка на абонамента.",
        APP,
        (
            Reply(
                "georgi",
                3,
                "Деси, извинявай за неудобството. Това е известна грешка в последната версия; "
                "докато я оправят, адреса можеш да смениш от сайта. Ако искаш, ще го сменя аз.",
            ),
            Reply("desi.m", 5, "Смених го от сайта, благодаря."),
        ),
    ),
    Story(
        41,
        9,
        AF,
        "annelie",
        S,
        "Koffie en koeksisters in Stellenbosch",
        "Ons koffieklub het Saterdag weer bymekaargekom. Ons het die Cerrado in 'n Chemex gemaak en Karla het "
        "koeksisters gebring. Dit was 'n heerlike oggend.",
        replies=(Reply("karla", 4, "Volgende keer bring ek melktert!"),),
    ),
    Story(
        40,
        12,
        EN,
        "priya.n",
        C,
        "The valve on my bag was broken",
        "My last bag of House Espresso arrived with the one-way valve split open, and after a week it tasted "
        "flat and papery. Please check your packaging; it's the second time this has happened.",
        STALE,
        (
            Reply(
                "hannah",
                5,
                "Thank you for telling us, Priya. We found a faulty batch of bags from our supplier "
                "and have pulled them. A fresh bag is on its way to you.",
            ),
        ),
    ),
    Story(
        39,
        11,
        PT,
        "analu",
        Q,
        "Água filtrada ou engarrafada?",
        "Para o V60, vale a pena usar água engarrafada ou a do filtro serve?",
        replies=(Reply("mariana.q", 3, "A do filtro serve bem. Evite água muito mineralizada: o café fica apagado."),),
    ),
    Story(
        38,
        15,
        BG,
        "niki.t",
        C,
        "Мелачката започна да мели неравномерно",
        "След три месеца ежедневна употреба ръчната мелачка мели все по-неравномерно — има и прах, и едри "
        "парчета. Дали ножовете не са се разместили?",
        GRINDER,
        (
            Reply("stoyan", 4, "Провери дали долният лагер не се е разхлабил. При мен се оправи след затягане."),
            Reply(
                "georgi",
                7,
                "Николай, ако затягането не помогне, пиши ни — мелачката е с две години гаранция и ще я сменим.",
            ),
        ),
    ),
    Story(
        37,
        10,
        EN,
        "sipho.d",
        P,
        "Best customer service I've had",
        "My grinder's burr wobbled and Liam had a replacement on its way the same day. No forms, no arguing. "
        "This is how it should be done.",
        replies=(Reply("liam.byrne", 3, "Glad it's sorted, Sipho. Enjoy the new grinder!"),),
    ),
    Story(
        36,
        14,
        AF,
        "elmarie.j",
        C,
        "Die toep meld my heeltyd af",
        "Elke keer as ek die Ponte-toep oopmaak, moet ek weer aanmeld, en die kode per e-pos kom eers na 'n "
        "halfuur. Dit maak my mal.",
        APP,
        (
            Reply("ruan.botha", 6, "Jy is nie alleen nie, Elmarie. Die span weet daarvan en werk aan 'n oplossing."),
            Reply("wian.c", 9, "Dieselfde hier. Ek gebruik maar die webwerf tot hulle dit regmaak."),
        ),
    ),
    Story(
        35,
        9,
        PT,
        "rafa.souza",
        C,
        "Encomenda atrasada para o Brasil",
        "Minha assinatura deveria ter chegado há dez dias e até agora nada. O rastreamento parou na alfândega de "
        "Curitiba. Fico sem café no meio do mês, assim não dá.",
        DELIVERY,
        (
            Reply(
                "camila.origem",
                4,
                "Rafa, sinto muito. A Receita Federal está retendo várias remessas este mês; "
                "já pedimos a liberação e mandamos um pacote extra junto com o próximo.",
            ),
            Reply("gabi.f", 6, "O meu também ficou preso lá uma semana."),
        ),
    ),
    Story(
        34,
        12,
        BG,
        "maria.g",
        P,
        "Новата Сидама е невероятна",
        "Приготвих я на джезве и на V60 — и в двата случая е сладка и плодова. Благодаря, че я донесохте и в България!",
        replies=(Reply("nadya", 3, "Съгласна! На V60 е като сладко от боровинки."),),
    ),
    Story(
        33,
        16,
        "brew-help",
        "grace.a",
        Q,
        "Cold brew with the House Espresso?",
        "Can I use the House Espresso for cold brew, or is it too dark a roast?",
        replies=(
            Reply("tom.h", 4, "It works well: chocolatey and smooth. Use a coarse grind and 16 hours in the fridge."),
        ),
    ),
    Story(
        32,
        10,
        AF,
        "wian.c",
        C,
        "Koerier het my pakkie by die verkeerde huis gelos",
        "Die koerier sê my pakkie is afgelewer, maar dit is nêrens nie. Die buurman het dit ook nie. Ek het vir "
        "twee sakke betaal en het niks.",
        DELIVERY,
        (
            Reply(
                "zoe.vdm", 4, "Wian, dis verskriklik. Ons stuur vandag nog twee sakke en neem dit met die koerier op."
            ),
            Reply("wian.c", 28, "Die nuwe pakkie is hier. Dankie, Zoë."),
        ),
    ),
    Story(
        31,
        13,
        EN,
        "oli.b",
        Q,
        "Descaling a single-boiler machine",
        "How often should I descale a single-boiler espresso machine if I only use filtered water?",
        replies=(Reply("aisha.k", 3, "Every two to three months with filtered water. Use citric acid, not vinegar."),),
    ),
    Story(
        30,
        11,
        PT,
        "bia.almeida",
        S,
        "O meu primeiro latte art",
        "Depois de três semanas a treinar, finalmente saiu um coração decente! Obrigada ao Lucas pelas dicas "
        "para vaporizar o leite.",
        replies=(Reply("lucas.brew", 2, "Parabéns, Bia! Agora é a vez da tulipa."),),
    ),
    Story(
        29,
        15,
        BG,
        "kaloyan",
        C,
        "Куриерът не дойде",
        "Цял ден си стоях вкъщи да чакам куриера, а той така и не дойде. Вечерта пишеше „неуспешна доставка, "
        "няма никой на адреса“. Как така?",
        DELIVERY,
        (
            Reply(
                "georgi", 3, "Калояне, съжалявам. Оплакахме се на куриера и пратката ще бъде доставена утре до обяд."
            ),
            Reply("elena.s", 5, "Същото ми се случи миналия месец. Дано по-скоро да има доставка до автомат."),
        ),
    ),
    Story(
        28,
        9,
        EN,
        "jack.t",
        C,
        "The app won't take my password after the update",
        "Since updating the app on Sunday I can't sign in at all. It says 'something went wrong' and then "
        "'invalid password'. The website works fine, so it's not my password.",
        APP,
        (
            Reply(
                "liam.byrne",
                5,
                "Jack, thanks for the details. It's the same sign-in bug others reported; the "
                "version with the fix is being reviewed by the app stores now.",
            ),
        ),
    ),
    Story(
        27,
        12,
        AF,
        "liezl",
        Q,
        "Koue brousel vir die somer",
        "Hoeveel koffie gebruik julle vir koue brousel, en hoe lank laat julle dit staan?",
        replies=(Reply("marike", 3, "Ek gebruik 80 g koffie per liter water en laat dit 14 uur in die yskas staan."),),
    ),
    Story(
        26,
        10,
        PT,
        "gabi.f",
        P,
        "Atendimento impecável",
        "Meu saco chegou rasgado e em duas horas vocês já tinham enviado outro. Assim dá gosto ser cliente.",
    ),
    Story(
        25,
        14,
        BG,
        "elena.s",
        Q,
        "Кое кафе за мока?",
        "Искам да си купя мока. Кое от вашите кафета е най-подходящо за нея?",
        replies=(
            Reply("stoyan", 2, "Серадо Минейро — плътно е, с вкус на лешник и шоколад. Мели малко по-едро от еспресо."),
        ),
    ),
    Story(
        24,
        16,
        EN,
        "emily.c",
        C,
        "Grinder handle keeps coming loose",
        "I love the grinder's burrs, but the handle works loose every couple of weeks and I have to hunt for an "
        "Allen key before my morning coffee. Is a fix coming?",
        GRINDER,
        (
            Reply(
                "joao.torra",
                6,
                "Emily, yes: from this month's batch the workshop in Porto fits a new screw with "
                "a lock washer. We'll post the new parts free to anyone who has the old handle — just ask here.",
            ),
        ),
    ),
    Story(
        23,
        9,
        AF,
        "pieter.dv",
        P,
        "Die ontkafeïneerde Huila is 'n wenner",
        "Ek drink nou saans weer koffie sonder om wakker te lê. Die ontkafeïneerde Huila proe na appel en "
        "panela, nie na karton nie. Uitstekend!",
        replies=(Reply("elmarie.j", 5, "Ek gaan dit vir my ma bestel. Sy mis haar aandkoffie."),),
    ),
    Story(
        22,
        13,
        PT,
        "ines.c",
        C,
        "Café sem frescura",
        "O último saco de Sidama chegou com data de torra de há sete semanas. Paguei por café fresco e o aroma "
        "já tinha desaparecido. Não é o que esperava da Ponte.",
        STALE,
        (
            Reply(
                "joao.torra",
                4,
                "Inês, tem toda a razão e peço desculpa. O saco saiu de um stock antigo por "
                "engano. Já enviámos um novo, torrado ontem.",
            ),
        ),
    ),
    Story(
        21,
        11,
        BG,
        "desi.m",
        S,
        "Кафе на терасата във Варна",
        "Тази сутрин направих студено кафе от Хуила и го изпих на терасата с изглед към морето. Понякога "
        "малките неща са най-хубави.",
        replies=(Reply("nadya", 4, "Звучи прекрасно! Завиждам ти за гледката."),),
    ),
    Story(
        20,
        15,
        EN,
        "grace.a",
        C,
        "Three weeks for a parcel to Johannesburg",
        "I ordered on the 2nd and it arrived yesterday, three weeks later. The coffee is lovely, but planning my "
        "orders around customs delays is exhausting.",
        DELIVERY,
        (
            Reply(
                "hannah",
                4,
                "Grace, we're sorry. We're testing a distributor in Cape Town so South African "
                "orders come from there in a few days instead of weeks. More news soon.",
            ),
        ),
    ),
    Story(
        19,
        10,
        AF,
        "riaan.nel",
        Q,
        "V60 of Chemex?",
        "Ek wil my eerste filtertoestel koop. Is 'n V60 of 'n Chemex beter vir 'n beginner?",
        replies=(
            Reply("annelie", 2, "'n V60 is goedkoper en vergewe meer foute. Begin daar."),
            Reply("riaan.nel", 20, "Dankie, ek het 'n V60 bestel!"),
        ),
    ),
    Story(
        18,
        12,
        PT,
        "thiago.rocha",
        C,
        "Minha assinatura sumiu do aplicativo",
        "Entrei no aplicativo e a minha assinatura não aparece mais. No site está lá, mas no app diz que não "
        "tenho nenhuma. Fiquei preocupado que tivesse sido cancelada.",
        APP,
        (
            Reply(
                "camila.origem",
                3,
                "Thiago, a sua assinatura está ativa, pode ficar tranquilo. É o mesmo erro do "
                "aplicativo que já estamos corrigindo.",
            ),
        ),
    ),
    Story(
        17,
        9,
        BG,
        "ivan.petrov",
        P,
        "Благодаря за бързата замяна",
        "Писах ви за стария пакет и два дни по-късно получих нов, прясно изпечен. Вкусът е съвсем друг. "
        "Благодаря, Георги!",
    ),
    Story(
        16,
        14,
        EN,
        "priya.n",
        S,
        "A Ponte corner at the office",
        "I set up a little Ponte corner at work: a grinder, a V60 and a tin of beans. Eight colleagues now bring "
        "their own mugs. Small victories.",
        replies=(Reply("tom.h", 3, "Love this. Converting an office one V60 at a time."),),
    ),
    Story(
        15,
        11,
        AF,
        "marike",
        C,
        "Weer 'n vertraagde bestelling",
        "Dis die derde keer vanjaar dat my bestelling meer as 'n week laat is. Ek hou van julle koffie, maar ek "
        "begin wonder of ek dit eerder plaaslik moet koop.",
        DELIVERY,
        (
            Reply(
                "zoe.vdm",
                3,
                "Marike, ek verstaan heeltemal. Vanaf volgende maand stuur ons Suid-Afrikaanse "
                "bestellings uit 'n pakhuis in Kaapstad, en dan behoort dit binne drie dae by jou te wees.",
            ),
            Reply("karla", 5, "Dit sal 'n groot verskil maak!"),
        ),
    ),
    Story(
        14,
        16,
        PT,
        "analu",
        Q,
        "Como guardar o café?",
        "Comprei dois sacos. Guardo no frigorífico ou fora?",
        replies=(
            Reply(
                "mariana.q",
                2,
                "Fora, num frasco opaco e bem fechado, longe do calor. No frigorífico ganha humidade e cheiros.",
            ),
        ),
    ),
    Story(
        13,
        10,
        BG,
        "maria.g",
        C,
        "Не получавам код за вход",
        "Опитвам се да вляза в приложението, но кодът за вход по имейл не идва. Проверих и в спама. "
        "Абонаментът ми се подновява утре, а не мога да го променя.",
        APP,
        (
            Reply(
                "georgi",
                2,
                "Мария, проверих — имейлите към някои пощи закъсняват с часове. Промених ти "
                "абонамента ръчно; пиши, ако искаш друго кафе.",
            ),
        ),
    ),
    Story(
        12,
        13,
        EN,
        "jack.t",
        D,
        "What's in your cup this weekend?",
        "I'm on the Huila through an AeroPress, inverted. What are you all brewing?",
        replies=(
            Reply("emily.c", 2, "Sidama on the V60, as always."),
            Reply("chloe.e", 4, "Cold brew concentrate with oat milk. Summer mode."),
        ),
    ),
    Story(
        11,
        9,
        AF,
        "jh.pretorius",
        C,
        "Die sak was oop toe dit aankom",
        "My sak Cerrado het met 'n geskeurde ritssluiter aangekom en die bone het oud en plat geruik. Ek is "
        "regtig teleurgesteld.",
        STALE,
        (
            Reply(
                "ruan.botha", 5, "Jan-Hendrik, stuur 'n foto aan die span; hulle vervang dit gewoonlik dieselfde dag."
            ),
        ),
    ),
    Story(
        10,
        14,
        PT,
        "rafa.souza",
        P,
        "A encomenda chegou em cinco dias!",
        "Depois das últimas confusões com a alfândega, desta vez a minha assinatura chegou em cinco dias. Café "
        "fresquinho e um bilhete da Camila. Valeu, equipe!",
        replies=(Reply("camila.origem", 3, "Que alegria, Rafa! Mudamos de despachante e parece que funcionou."),),
    ),
    Story(
        9,
        11,
        BG,
        "niki.t",
        Q,
        "Кафе за кафене — имате ли по-големи пакети?",
        "Имам малко кафене и харчим около 5 кг на седмица. Имате ли оферта за по-големи пакети?",
        replies=(
            Reply(
                "georgi",
                3,
                "Да, Николай — имаме пакети по 1 кг с отстъпка за кафенета. Пратих ти ценовата листа по имейла.",
            ),
        ),
    ),
    Story(
        8,
        15,
        EN,
        "sipho.d",
        C,
        "Courier lost my order again",
        "Second order in two months 'delivered' to an address that isn't mine. The courier's hotline just plays "
        "music. I'm close to giving up on ordering to Durban.",
        DELIVERY,
        (
            Reply(
                "liam.byrne",
                3,
                "Sipho, I'm sorry: that's unacceptable. I've re-sent your order with a "
                "signature on delivery and opened a complaint with the courier.",
            ),
            Reply("dan.murphy", 5, "Brilliant. Another parcel 'delivered' to nobody. Love that for us."),
        ),
    ),
    Story(
        7,
        10,
        AF,
        "karla",
        P,
        "Die proe-aand was fantasties",
        "Dankie vir Saterdag se proe-aand in Kaapstad! Ek het soveel geleer oor hoe verskillend die koffies kan "
        "proe, net deur die water te verander.",
        replies=(Reply("zoe.vdm", 4, "Dankie dat jy gekom het, Karla! Volgende maand is dit espresso."),),
    ),
    Story(
        6,
        12,
        PT,
        "bia.almeida",
        C,
        "Manivela do moinho solta",
        "O meu moinho manual da Ponte tem seis semanas e a manivela já está a soltar-se. Tenho de apertar o "
        "parafuso todas as manhãs.",
        GRINDER,
        (
            Reply(
                "joao.torra",
                4,
                "Bia, desculpe. Vamos enviar-lhe a manivela nova com a anilha de fixação; segue amanhã pelo correio.",
            ),
        ),
    ),
    Story(
        5,
        9,
        BG,
        "stoyan",
        D,
        "Джезве или еспресо — какво пиете сутрин?",
        "Аз съм на джезве от дете, но напоследък все по-често пия еспресо. А вие?",
        replies=(
            Reply("ivan.petrov", 3, "Джезве, винаги. С малко кардамон."),
            Reply("kaloyan", 5, "Аеропрес — бързо и лесно."),
        ),
    ),
    Story(
        4,
        14,
        "brew-help",
        "chloe.e",
        Q,
        "Which coffee for a moka pot?",
        "I've just got a Bialetti. Which of your coffees would you recommend for it?",
        replies=(Reply("aisha.k", 2, "The Cerrado: heavy body and chocolate, it's made for a moka pot."),),
    ),
    Story(
        4,
        10,
        AF,
        "elmarie.j",
        D,
        "Wat drink julle die naweek?",
        "Ek maak die Huila in die AeroPress vir my pa se verjaarsdag. Wat brou julle?",
        replies=(Reply("liezl", 3, "Moerkoffie op die stoep, soos altyd."),),
    ),
)

# Three days ago the renewal run charged subscribers twice: many angry posts in every language, in one day.
CRISIS: tuple[Story, ...] = (
    Story(
        CRISIS_DAY,
        7,
        EN,
        "emily.c",
        C,
        "I've been charged twice for my subscription",
        "This morning's subscription renewal took the money from my card twice: €36 gone, and I'm on a tight "
        "budget this month. What's going on?",
        DOUBLE_CHARGE,
        (
            Reply("dan.murphy", 0.3, "Same here. Two identical charges at 06:02. Not happy."),
            Reply("oli.b", 0.6, "Three charges for me! My bank has frozen the card for suspicious activity."),
            Reply("grace.a", 1.2, "Charged twice as well, and the app won't even let me sign in to check."),
            Reply(
                "hannah",
                1.5,
                "We are so sorry. Our payment provider ran this morning's renewals twice. We have "
                "stopped the run and every double charge will be refunded; we'll post here as soon as the refunds "
                "are on their way.",
            ),
            Reply("chloe.e", 3, "Still no refund and my rent is due tomorrow. This is really stressful."),
            Reply("jack.t", 5, "Terrible. My café's account was charged four times, over two hundred euros."),
            Reply("priya.n", 8, "I love your coffee, but this is a mess. Please fix it quickly."),
        ),
    ),
    Story(
        CRISIS_DAY,
        8,
        PT,
        "lucas.brew",
        C,
        "Cobrança em dobro na assinatura!",
        "Fui cobrado duas vezes pela assinatura hoje de manhã. Mais alguém? Já mandei e-mail e ninguém respondeu.",
        DOUBLE_CHARGE,
        (
            Reply(
                "rafa.souza",
                0.5,
                "Comigo também! Duas cobranças no cartão, e o banco bloqueou o cartão por suspeita de fraude.",
            ),
            Reply(
                "ines.c",
                1,
                "Aqui também. Cobraram-me duas vezes e nem consigo entrar na aplicação para ver a "
                "encomenda. Que vergonha.",
            ),
            Reply("thiago.rocha", 2, "Três cobranças para mim. Estou muito chateado."),
            Reply(
                "camila.origem",
                2.5,
                "Peço imensas desculpas a todos. O nosso fornecedor de pagamentos processou "
                "as renovações duas vezes. Todas as cobranças a mais vão ser reembolsadas; damos notícias aqui "
                "ainda hoje.",
            ),
            Reply("analu", 5, "Ainda não vi reembolso nenhum. Isto é inaceitável."),
            Reply("gabi.f", 7, "Se isso acontecer de novo, cancelo a assinatura."),
        ),
    ),
    Story(
        CRISIS_DAY,
        9,
        BG,
        "elena.s",
        C,
        "Двойно таксуване за абонамента",
        "Тази сутрин ми удържаха два пъти сумата за абонамента. Кой ще ми върне парите? Много съм ядосана.",
        DOUBLE_CHARGE,
        (
            Reply("maria.g", 0.4, "И на мен! Две еднакви плащания от тази сутрин."),
            Reply("niki.t", 1, "На кафенето ми са удържани три пъти. Това са сериозни пари за малък бизнес."),
            Reply("desi.m", 1.5, "Банката ми блокира картата заради съмнителни плащания. Ужасно."),
            Reply(
                "georgi",
                2,
                "Много се извиняваме. Доставчикът ни на плащания е пуснал подновяванията два пъти. "
                "Всички двойни плащания ще бъдат възстановени до няколко дни.",
            ),
            Reply("ivan.petrov", 4, "Още нямам върнати пари и никой не отговаря на имейлите. Разочарован съм."),
            Reply("kaloyan", 6, "Ако това се повтори, спирам абонамента."),
        ),
    ),
    Story(
        CRISIS_DAY,
        9.5,
        AF,
        "jh.pretorius",
        C,
        "Twee keer gedebiteer vir my intekening",
        "Ponte het vanoggend twee keer geld van my kaart afgetrek vir dieselfde intekening. Ek is woedend.",
        DOUBLE_CHARGE,
        (
            Reply("marike", 0.5, "Ek ook! En my bank het die kaart gesluit weens verdagte transaksies."),
            Reply("liezl", 1, "Drie keer vir my. Dis heeltemal onaanvaarbaar."),
            Reply(
                "zoe.vdm",
                1.5,
                "Ons is baie jammer. Ons betalingsverskaffer het die hernuwings twee keer "
                "verwerk. Elke ekstra debiet word terugbetaal.",
            ),
            Reply("wian.c", 4, "Nog geen terugbetaling nie en niemand antwoord die foon nie. Swak diens."),
            Reply("riaan.nel", 6, "Ek dink ek kanselleer my intekening."),
        ),
    ),
    Story(
        CRISIS_DAY,
        12,
        EN,
        "sipho.d",
        C,
        "Double charge and no reply from support",
        "I e-mailed support five hours ago about the double charge and got nothing back. At least answer people.",
        DOUBLE_CHARGE,
        (
            Reply("aisha.k", 1, "Same. Charged twice and the refund isn't showing yet."),
            Reply(
                "liam.byrne",
                1.5,
                "Sipho, Aisha: sorry for the silence, the inbox has hundreds of messages today. "
                "The refunds have gone to the payment provider and should reach your cards within three working "
                "days.",
            ),
        ),
    ),
)

# The days after: the roastery explains and members calm down.
AFTERMATH: tuple[Story, ...] = (
    Story(
        2,
        9,
        "announcements",
        "hannah",
        ThreadKind.ANNOUNCEMENT,
        "The double charge: every refund has been sent",
        "Yesterday our payment provider ran the subscription renewals twice, and many of you were charged two "
        "or more times. Every extra charge has now been refunded; most banks show it within three working days. "
        "Everyone affected gets next month's subscription from us. We are sorry for the worry it caused.",
        replies=(
            Reply("tom.h", 2, "Thanks for owning it, Hannah. The refund is already on my card."),
            Reply("emily.c", 4, "Refund received. Thank you for the free month, that's generous."),
            Reply("dan.murphy", 6, "Still waiting for mine, but thanks for the update."),
        ),
    ),
    Story(
        1,
        10,
        BG,
        "elena.s",
        P,
        "Парите ми са върнати",
        "Днес ми върнаха двойното плащане. Благодаря, Георги, че отговаряше на всички ни толкова търпеливо.",
        replies=(Reply("niki.t", 3, "И на кафенето върнаха всичко. Благодаря."),),
    ),
    Story(
        1,
        15,
        PT,
        "ines.c",
        D,
        "Reembolso recebido",
        "O reembolso já apareceu no meu cartão. Ficou o susto, mas a Ponte resolveu depressa.",
        replies=(Reply("rafa.souza", 2, "O meu também chegou. Valeu pela mensalidade grátis!"),),
    ),
)

STORIES: tuple[Story, ...] = BASELINE + CRISIS + AFTERMATH

# The pain point a manager links to the idea that answers it, and the one they rename.
LINKED_TOPIC = DELIVERY
LINKED_IDEA = "Доставка до автомат за пратки"
RENAMED_TOPIC = DOUBLE_CHARGE
RENAMED_AS = "Subscription renewals charged twice"

# Posts a manager re-labels after reading them: (thread title, position in the thread, label).
CORRECTIONS: tuple[tuple[str, int, str], ...] = (
    ("Courier lost my order again", 2, "negative"),
    ("The double charge: every refund has been sent", 3, "neutral"),
    ("Reembolso recebido", 0, "positive"),
    ("Кафе за кафене — имате ли по-големи пакети?", 0, "neutral"),
)
