"""Text for generated posts: product-community talk in English, Portuguese, Bulgarian and Afrikaans.

Each language has a bank of sentence templates per kind of talk (questions, answers, thanks, bug
reports, ideas, praise, criticism, stories, the brand's news) and of title templates per thread
kind, with slots filled from small word lists. At start a pool of filled sentences is made per
language and kind; a post is a handful of them, so a million posts cost a million joins, not a
million Markdown renders. Every pooled sentence is plain prose with no Markdown syntax, so the
HTML of a body is its paragraphs escaped and wrapped in <p> exactly as `render_markdown` writes
them (tests/test_bench_generate.py checks that), and the search text is the folded sentences.

SEARCH_TERM is a loan word written the same way in all four languages; only the sentences of the
"search" kind hold it, and no other word of the banks starts with it (search matches prefixes), so
the share of posts that match it is the share given to `Composer.body(search=True)`.
"""

from __future__ import annotations

import html
import random
from dataclasses import dataclass
from typing import Final

from belong.conversations.search import fold

SEARCH_TERM: Final = "firmware"
SEARCH_SHARE: Final = 0.02  # of posts holding SEARCH_TERM once
MAX_BODY_CHARS: Final = 2000
POOL_SIZE: Final = 400  # filled sentences per language and kind

# Language codes and their weights follow the community's people (bench/generate.py CULTURES).
LANGUAGES: Final = ("pt", "bg", "af", "en")


@dataclass(frozen=True)
class Bank:
    """One language's words: slots filled into sentence templates (per kind of talk) and titles (per thread kind)."""

    slots: dict[str, tuple[str, ...]]
    sentences: dict[str, tuple[str, ...]]
    titles: dict[str, tuple[str, ...]]


EN = Bank(
    slots={
        "p": (
            "the Aurora grinder", "the Kestrel kettle", "the Nimbus espresso machine", "the Duo scale",
            "the Vela milk frother", "the Orbit app", "the travel mug", "the starter kit",
        ),
        "f": (
            "the timer", "the display", "dark mode", "the cleaning cycle", "the notifications",
            "the grind setting", "the Bluetooth pairing", "the refill subscription", "the steam wand",
            "the water tank", "the brew recipes", "the warranty form", "the delivery tracking", "the night light",
        ),
        "x": (
            "stops after ten seconds", "does not connect any more", "makes a loud rattling noise",
            "shows a red error light", "forgets my settings", "leaks a little water", "drains the battery overnight",
            "crashes when I open it", "takes ages to heat up", "keeps asking me to sign in again",
        ),
        "w": (
            "yesterday", "last week", "this morning", "since the last update", "for two months now",
            "every other day", "over the weekend", "right after unpacking it", "a few days ago",
        ),
        "o": ("my partner", "a friend of mine", "my colleague", "my brother", "our neighbour", "my mum", "the barista"),
        "d": ("flat white", "espresso", "filter coffee", "cold brew", "cappuccino", "green tea", "hot chocolate"),
        "n": ("two", "three", "five", "ten", "twenty", "a dozen"),
    },
    sentences={
        "ask": (
            "Does anyone know why {p} {x}?",
            "How do you set up {f} on {p}?",
            "Is there a way to reset {f} without losing my recipes?",
            "Has anyone else noticed that {f} changed {w}?",
            "Which setting do you use for a good {d}?",
            "Can I use {p} with the old power adapter?",
            "Where do I find {f} in the new version?",
            "What is the best way to clean {p} after a {d}?",
        ),
        "answer": (
            "Try holding the power button for {n} seconds, that fixed it for me.",
            "You can find {f} under the settings menu, right at the bottom.",
            "I had the same problem and support sent me a new cable within {n} days.",
            "Make sure the water tank sits all the way down, otherwise {p} will not start.",
            "Switch {f} off and on again, then pair it once more.",
            "The manual says to descale every {n} weeks, and since I do that it works fine.",
            "It depends on your beans, but a finer setting usually gives a better {d}.",
            "Check that the app is up to date first, the old version had that bug.",
        ),
        "thanks": (
            "Thanks, that worked!",
            "Thank you so much, {o} will be happy.",
            "Great tip, thanks for taking the time.",
            "That did the trick, much appreciated.",
            "Thanks for the quick answer.",
        ),
        "agree": (
            "Same here.",
            "I agree with this completely.",
            "Exactly my experience too.",
            "Good point, I had not thought of that.",
            "Plus one from me.",
            "I see the same thing with {p}.",
        ),
        "bug": (
            "I noticed {w} that {p} {x}.",
            "Every time I change {f} the app {x}.",
            "I think {f} is broken, it {x}.",
            "After the update {f} no longer saves my choice.",
            "The screen goes blank when I start a {d}.",
        ),
        "idea": (
            "It would be great if {p} could remember {n} recipes.",
            "Please add a way to share {f} with {o}.",
            "What about a quieter mode for early mornings?",
            "I would love to see {f} in the Orbit app too.",
            "A refill reminder based on how many cups I make would help a lot.",
            "Could you offer {p} in a smaller size for travel?",
        ),
        "praise": (
            "I love {p}, it makes the best {d} I have ever had at home.",
            "Support answered within an hour and sorted everything out.",
            "{p} looks great in our kitchen and {o} uses it every day.",
            "Really happy with {f}, it just works.",
            "Best purchase this year, no doubt.",
        ),
        "critique": (
            "Honestly, {p} is too expensive for what it does.",
            "The packaging was nice but {f} feels cheap.",
            "I waited {n} weeks for delivery and nobody told me why.",
            "The price went up again and {f} still {x}.",
            "I expected more from {p} after all the reviews.",
        ),
        "story": (
            "We bought {p} {w} after trying it at a friend's place.",
            "My morning starts with a {d} and some quiet time before work.",
            "I took {p} on a camping trip and it survived the rain.",
            "{o} was sceptical at first but now makes a {d} every evening.",
            "It took me {n} tries to get the perfect {d}, but it was worth it.",
            "I used to buy coffee on the way to work, now I make it at home.",
        ),
        "news": (
            "We are rolling out a new version of {f} this month.",
            "Thank you all for the feedback on {p}, we read every post.",
            "Deliveries to the islands are back to normal this week.",
            "Join us for a live tasting session next Thursday evening.",
            "We fixed the issue where {f} {x}.",
        ),
        "search": (
            "The new firmware fixed it for me.",
            "Which firmware version are you on?",
            "After the firmware update {f} works again.",
            "I rolled back the firmware and the problem went away.",
        ),
    },
    titles={
        "discussion": ("What is your favourite {d}?", "Tips for {p}", "Your morning routine", "Thoughts on {f}"),
        "question": ("Why does {p} stop?", "How do I set up {f}?", "Question about {f}", "Help with {p} please"),
        "review": ("My review of {p}", "{p} after {n} months", "Honest review of {p}", "Worth the money?"),
        "praise": ("Thank you for {p}", "Great support experience", "Loving {f}", "Best {d} ever"),
        "criticism": ("Disappointed with {f}", "Delivery took too long", "Price of {p}", "{f} needs work"),
        "story": ("How {p} changed my mornings", "A {d} on the mountain", "My first week with {p}", "Coffee at home"),
        "announcement": ("New version of {f}", "Holiday delivery times", "Welcome to the community", "What's new"),
        "call_to_action": ("Tell us about {f}", "Help us test {p}", "Your feedback on {f}", "Survey: your {d}"),
        "idea": ("Add {f} to the Orbit app", "Quieter mode please", "Share recipes with friends", "Idea for {p}"),
    },
)  # fmt: skip

PT = Bank(
    slots={
        "p": (
            "o moinho Aurora", "a chaleira Kestrel", "a máquina de espresso Nimbus", "a balança Duo",
            "o espumador Vela", "a aplicação Orbit", "a caneca de viagem", "o kit inicial",
        ),
        "f": (
            "o temporizador", "o ecrã", "o modo escuro", "o ciclo de limpeza", "as notificações",
            "a moagem", "a ligação Bluetooth", "a assinatura de recargas", "o vaporizador",
            "o depósito de água", "as receitas", "o formulário de garantia", "o seguimento da entrega", "a luz noturna",
        ),
        "x": (
            "para ao fim de dez segundos", "já não se liga", "faz um barulho estranho",
            "mostra uma luz vermelha de erro", "esquece as minhas definições", "perde um pouco de água",
            "gasta a bateria durante a noite", "fecha sozinha quando a abro", "demora imenso a aquecer",
            "pede sempre para entrar outra vez",
        ),
        "w": (
            "ontem", "na semana passada", "hoje de manhã", "desde a última atualização", "há dois meses",
            "dia sim, dia não", "no fim de semana", "logo depois de a tirar da caixa", "há uns dias",
        ),
        "o": ("a minha mulher", "o meu marido", "um amigo", "a minha colega", "o meu irmão", "a vizinha", "a minha mãe"),
        "d": ("meia de leite", "bica", "café de filtro", "café gelado", "cappuccino", "chá verde", "galão"),
        "n": ("dois", "três", "cinco", "dez", "vinte", "uma dúzia de"),
    },
    sentences={
        "ask": (
            "Alguém sabe porque é que {p} {x}?",
            "Como é que se configura {f}?",
            "Há forma de repor {f} sem perder as receitas?",
            "Mais alguém reparou que {f} mudou {w}?",
            "Que moagem usam para uma boa {d}?",
            "Posso usar {p} com o carregador antigo?",
            "Onde encontro {f} na versão nova?",
            "Qual é a melhor maneira de limpar {p}?",
        ),
        "answer": (
            "Experimenta carregar no botão durante {n} segundos, comigo resultou.",
            "Encontras {f} no menu de definições, mesmo no fim.",
            "Tive o mesmo problema e o apoio enviou-me um cabo novo em {n} dias.",
            "Confirma que o depósito está bem encaixado, senão não arranca.",
            "Desliga {f} e volta a ligar, depois emparelha outra vez.",
            "O manual diz para descalcificar a cada {n} semanas e desde então funciona bem.",
            "Depende do café, mas uma moagem mais fina costuma dar uma {d} melhor.",
            "Vê primeiro se a aplicação está atualizada, a versão antiga tinha esse erro.",
        ),
        "thanks": (
            "Obrigado, resultou!",
            "Muito obrigada, {o} vai ficar contente.",
            "Ótima dica, obrigado pelo tempo.",
            "Era mesmo isso, agradeço imenso.",
            "Obrigado pela resposta rápida.",
        ),
        "agree": (
            "Comigo passa-se o mesmo.",
            "Concordo totalmente.",
            "É exatamente a minha experiência.",
            "Bem visto, não tinha pensado nisso.",
            "Também voto nisto.",
            "Vejo o mesmo com {p}.",
        ),
        "bug": (
            "Reparei {w} que {p} {x}.",
            "Sempre que mudo {f} a aplicação {x}.",
            "Acho que {f} está avariado, {x}.",
            "Depois da atualização {f} já não guarda a minha escolha.",
            "O ecrã apaga-se quando começo uma {d}.",
        ),
        "idea": (
            "Era ótimo se {p} guardasse {n} receitas.",
            "Por favor acrescentem uma forma de partilhar {f} com {o}.",
            "Que tal um modo silencioso para as manhãs?",
            "Gostava de ver {f} também na aplicação Orbit.",
            "Um lembrete de recarga conforme as chávenas que faço ajudava muito.",
            "Podiam ter {p} num tamanho mais pequeno para viagem?",
        ),
        "praise": (
            "Adoro {p}, faz a melhor {d} que já bebi em casa.",
            "O apoio respondeu numa hora e resolveu tudo.",
            "{p} fica lindo na cozinha e {o} usa todos os dias.",
            "Estou muito contente com {f}, funciona e pronto.",
            "A melhor compra do ano, sem dúvida.",
        ),
        "critique": (
            "Sinceramente, {p} é caro demais para o que faz.",
            "A embalagem era bonita mas {f} parece frágil.",
            "Esperei {n} semanas pela entrega e ninguém me disse porquê.",
            "O preço voltou a subir e {f} continua a falhar.",
            "Esperava mais de {p} depois de tantas críticas boas.",
        ),
        "story": (
            "Comprámos {p} {w} depois de o provar em casa de amigos.",
            "A minha manhã começa com uma {d} e um pouco de sossego.",
            "Levei {p} para o campismo e aguentou a chuva.",
            "{o} desconfiava ao início mas agora faz uma {d} todas as noites.",
            "Precisei de {n} tentativas para acertar na {d}, mas valeu a pena.",
            "Dantes comprava café a caminho do trabalho, agora faço em casa.",
        ),
        "news": (
            "Este mês vamos lançar uma versão nova de {f}.",
            "Obrigado a todos pelas opiniões sobre {p}, lemos todas.",
            "As entregas nas ilhas voltaram ao normal esta semana.",
            "Juntem-se a nós numa prova ao vivo na próxima quinta-feira.",
            "Corrigimos o problema em que {f} falhava.",
        ),
        "search": (
            "O firmware novo resolveu o problema.",
            "Que versão do firmware têm instalada?",
            "Depois de atualizar o firmware {f} voltou a funcionar.",
            "Voltei ao firmware anterior e o problema desapareceu.",
        ),
    },
    titles={
        "discussion": ("Qual é a vossa {d} preferida?", "Dicas para {p}", "A vossa rotina da manhã", "Opiniões sobre {f}"),
        "question": ("Porque é que {p} para?", "Como configuro {f}?", "Dúvida sobre {f}", "Ajuda com {p}"),
        "review": ("A minha análise de {p}", "{p} ao fim de {n} meses", "Análise honesta", "Vale o dinheiro?"),
        "praise": ("Obrigado por {p}", "Apoio excelente", "Adoro {f}", "A melhor {d} de sempre"),
        "criticism": ("Desiludido com {f}", "A entrega demorou demasiado", "O preço de {p}", "{f} precisa de melhorar"),
        "story": ("Como {p} mudou as minhas manhãs", "Uma {d} na serra", "A primeira semana com {p}", "Café em casa"),
        "announcement": ("Nova versão de {f}", "Entregas nas férias", "Bem-vindos à comunidade", "Novidades"),
        "call_to_action": ("Falem-nos de {f}", "Ajudem-nos a testar {p}", "A vossa opinião sobre {f}", "Inquérito"),
        "idea": ("Juntar {f} à aplicação Orbit", "Modo silencioso, por favor", "Partilhar receitas", "Ideia para {p}"),
    },
)  # fmt: skip

BG = Bank(
    slots={
        "p": (
            "мелачката Aurora", "каната Kestrel", "еспресо машината Nimbus", "кантарчето Duo",
            "уредът за мляко Vela", "приложението Orbit", "термочашата", "стартовият комплект",
        ),
        "f": (
            "таймерът", "дисплеят", "тъмният режим", "цикълът за почистване", "известията",
            "настройката за смилане", "връзката с Bluetooth", "абонаментът за пълнители", "парната дюза",
            "резервоарът за вода", "рецептите", "гаранционната форма", "проследяването на доставката",
            "нощната светлина",
        ),
        "x": (
            "спира след десет секунди", "вече не се свързва", "вдига странен шум", "свети в червено",
            "забравя настройките ми", "пуска малко вода", "изтощава батерията за една нощ",
            "се затваря, щом го отворя", "загрява много бавно", "все иска да вляза отново",
        ),
        "w": (
            "вчера", "миналата седмица", "тази сутрин", "от последното обновяване", "от два месеца",
            "през ден", "през уикенда", "веднага след разопаковането", "преди няколко дни",
        ),
        "o": ("жена ми", "мъжът ми", "един приятел", "колежката ми", "брат ми", "съседката", "майка ми"),
        "d": ("капучино", "еспресо", "шварц кафе", "студено кафе", "лате", "зелен чай", "горещ шоколад"),
        "n": ("две", "три", "пет", "десет", "двайсет", "дузина"),
    },
    sentences={
        "ask": (
            "Някой знае ли защо {p} {x}?",
            "Как се настройва {f}?",
            "Има ли начин да нулирам настройките, без да изгубя рецептите?",
            "Някой друг забелязал ли е, че {f} се промени {w}?",
            "Каква настройка ползвате за хубаво {d}?",
            "Мога ли да ползвам {p} със старото зарядно?",
            "Къде да намеря {f} в новата версия?",
            "Как е най-добре да се почиства {p}?",
        ),
        "answer": (
            "Задръж бутона {n} секунди, на мен това ми помогна.",
            "Ще намериш {f} в менюто с настройки, най-долу.",
            "Имах същия проблем и поддръжката ми прати нов кабел за {n} дни.",
            "Провери дали резервоарът е добре наместен, иначе не тръгва.",
            "Изключи и включи отново, после го сдвои пак.",
            "В ръководството пише да се почиства от котлен камък на {n} седмици и оттогава работи добре.",
            "Зависи от зърната, но по-финото смилане обикновено дава по-добро {d}.",
            "Първо провери дали приложението е обновено, старата версия имаше тази грешка.",
        ),
        "thanks": (
            "Благодаря, стана!",
            "Много благодаря, {o} ще се зарадва.",
            "Чудесен съвет, благодаря за отделеното време.",
            "Точно това беше, много съм благодарен.",
            "Благодаря за бързия отговор.",
        ),
        "agree": (
            "И при мен е така.",
            "Напълно съм съгласна.",
            "Точно такъв е и моят опит.",
            "Добра идея, не се бях сетил.",
            "Подкрепям.",
            "Виждам същото с {p}.",
        ),
        "bug": (
            "{w} забелязах, че {p} {x}.",
            "Всеки път, когато сменя настройката, приложението {x}.",
            "Мисля, че {f} е повреден, {x}.",
            "След обновяването изборът ми вече не се запазва.",
            "Екранът угасва, когато правя {d}.",
        ),
        "idea": (
            "Би било чудесно, ако {p} помни {n} рецепти.",
            "Моля, добавете начин да споделям рецепти с приятели.",
            "Какво ще кажете за тих режим за ранните утрини?",
            "Бих искал да видя това и в приложението Orbit.",
            "Напомняне за пълнители според изпитите чаши много би помогнало.",
            "Може ли {p} в по-малък размер за път?",
        ),
        "praise": (
            "Обожавам {p}, прави най-хубавото {d}, което съм пил вкъщи.",
            "Поддръжката отговори за час и оправи всичко.",
            "{p} стои чудесно в кухнята и {o} го ползва всеки ден.",
            "Много съм доволна, просто работи.",
            "Най-добрата покупка тази година, без съмнение.",
        ),
        "critique": (
            "Честно казано, {p} е прекалено скъп за това, което прави.",
            "Опаковката беше хубава, но уредът изглежда евтин.",
            "Чаках доставката {n} седмици и никой не ми обясни защо.",
            "Цената пак се вдигна, а проблемът си остава.",
            "Очаквах повече от {p} след толкова хвалби.",
        ),
        "story": (
            "Купихме {p} {w}, след като го пробвахме у приятели.",
            "Сутринта ми започва с {d} и малко тишина преди работа.",
            "Взех {p} на къмпинг и оцеля под дъжда.",
            "{o} отначало се съмняваше, а сега прави {d} всяка вечер.",
            "Трябваха ми {n} опита за идеалното {d}, но си струваше.",
            "Преди купувах кафе на път за работа, сега си правя вкъщи.",
        ),
        "news": (
            "Този месец пускаме нова версия на приложението.",
            "Благодарим на всички за мненията за {p}, четем всичко.",
            "Доставките до морето отново са нормални тази седмица.",
            "Елате на дегустация на живо следващия четвъртък вечерта.",
            "Оправихме проблема, при който {f} спираше.",
        ),
        "search": (
            "Новият firmware го оправи.",
            "Коя версия на firmware имате?",
            "След обновяване на firmware всичко работи отново.",
            "Върнах стария firmware и проблемът изчезна.",
        ),
    },
    titles={
        "discussion": ("Кое е любимото ви {d}?", "Съвети за {p}", "Вашата сутрешна рутина", "Мнения за приложението"),
        "question": ("Защо {p} спира?", "Как да настроя уреда?", "Въпрос за настройките", "Помощ с {p}"),
        "review": ("Моето мнение за {p}", "{n} месеца с {p}", "Честно ревю", "Струва ли си парите?"),
        "praise": ("Благодаря за {p}", "Страхотна поддръжка", "Обожавам го", "Най-хубавото {d}"),
        "criticism": ("Разочарован съм", "Доставката се забави", "Цената на {p}", "Нужни са подобрения"),
        "story": ("Как {p} промени сутрините ми", "{d} в планината", "Първата седмица с {p}", "Кафе у дома"),
        "announcement": ("Нова версия на приложението", "Доставки по празниците", "Добре дошли", "Какво ново"),
        "call_to_action": ("Разкажете ни", "Помогнете ни да тестваме {p}", "Вашето мнение", "Анкета за {d}"),
        "idea": ("Рецепти в приложението Orbit", "Тих режим, моля", "Споделяне на рецепти", "Идея за {p}"),
    },
)  # fmt: skip

AF = Bank(
    slots={
        "p": (
            "die Aurora-meul", "die Kestrel-ketel", "die Nimbus-espressomasjien", "die Duo-skaal",
            "die Vela-melkskuimer", "die Orbit-toep", "die reisbeker", "die beginnerstel",
        ),
        "f": (
            "die tydhouer", "die skerm", "donkermodus", "die skoonmaaksiklus", "die kennisgewings",
            "die maalinstelling", "die Bluetooth-koppeling", "die hervul-intekening", "die stoompyp",
            "die watertenk", "die resepte", "die waarborgvorm", "die aflewering se opsporing", "die nagliggie",
        ),
        "x": (
            "stop na tien sekondes", "koppel nie meer nie", "maak 'n harde geraas", "wys 'n rooi foutlig",
            "vergeet my instellings", "lek 'n bietjie water", "maak die battery oornag pap",
            "val toe sodra ek dit oopmaak", "vat baie lank om warm te word", "vra elke keer dat ek weer inteken",
        ),
        "w": (
            "gister", "verlede week", "vanoggend", "sedert die laaste opdatering", "al twee maande lank",
            "elke tweede dag", "oor die naweek", "net nadat ek dit uitgepak het", "'n paar dae gelede",
        ),
        "o": ("my vrou", "my man", "'n vriend van my", "my kollega", "my broer", "ons buurvrou", "my ma"),
        "d": ("flat white", "espresso", "filterkoffie", "yskoffie", "cappuccino", "rooibostee", "warm sjokolade"),
        "n": ("twee", "drie", "vyf", "tien", "twintig", "'n dosyn"),
    },
    sentences={
        "ask": (
            "Weet iemand hoekom {p} {x}?",
            "Hoe stel 'n mens {f} op?",
            "Kan ek {f} herstel sonder om my resepte te verloor?",
            "Het iemand anders opgelet dat {f} {w} verander het?",
            "Watter instelling gebruik julle vir 'n lekker {d}?",
            "Kan ek {p} met die ou kragprop gebruik?",
            "Waar kry ek {f} in die nuwe weergawe?",
            "Wat is die beste manier om {p} skoon te maak?",
        ),
        "answer": (
            "Hou die knoppie {n} sekondes in, dit het vir my gewerk.",
            "Jy kry {f} onder die instellings, heel onder.",
            "Ek het dieselfde probleem gehad en hulle het binne {n} dae 'n nuwe kabel gestuur.",
            "Maak seker die watertenk sit heeltemal vas, anders begin dit nie.",
            "Skakel {f} af en weer aan, en koppel dit dan weer.",
            "Die handleiding sê jy moet elke {n} weke ontkalk, en sedertdien werk dit goed.",
            "Dit hang van die bone af, maar fyner maal gee gewoonlik 'n beter {d}.",
            "Kyk eers of die toep opgedateer is, die ou weergawe het daardie fout gehad.",
        ),
        "thanks": (
            "Dankie, dit het gewerk!",
            "Baie dankie, {o} gaan bly wees.",
            "Wonderlike wenk, dankie vir die moeite.",
            "Dit was presies die probleem, baie dankie.",
            "Dankie vir die vinnige antwoord.",
        ),
        "agree": (
            "Dieselfde hier.",
            "Ek stem heeltemal saam.",
            "Presies my ervaring ook.",
            "Goeie punt, daaraan het ek nie gedink nie.",
            "Ek stem hiervoor.",
            "Ek sien dieselfde met {p}.",
        ),
        "bug": (
            "Ek het {w} agtergekom: {p} {x}.",
            "Elke keer as ek {f} verander, {x} die toep.",
            "Ek dink {f} is stukkend, dit {x}.",
            "Na die opdatering onthou {f} nie meer my keuse nie.",
            "Die skerm gaan dood wanneer ek 'n {d} maak.",
        ),
        "idea": (
            "Dit sal wonderlik wees as {p} {n} resepte kan onthou.",
            "Voeg asseblief 'n manier by om {f} met {o} te deel.",
            "Wat van 'n stil modus vir vroeë oggende?",
            "Ek sal graag {f} ook in die Orbit-toep wil sien.",
            "'n Hervul-herinnering volgens hoeveel koppies ek maak, sal baie help.",
            "Kan julle {p} in 'n kleiner grootte vir reis aanbied?",
        ),
        "praise": (
            "Ek is mal oor {p}, dit maak die beste {d} wat ek al tuis gehad het.",
            "Die hulplyn het binne 'n uur geantwoord en alles reggemaak.",
            "{p} lyk pragtig in ons kombuis en {o} gebruik dit elke dag.",
            "Baie tevrede met {f}, dit werk net.",
            "Beste aankoop vanjaar, sonder twyfel.",
        ),
        "critique": (
            "Eerlik, {p} is te duur vir wat dit doen.",
            "Die verpakking was mooi, maar {f} voel goedkoop.",
            "Ek het {n} weke vir die aflewering gewag en niemand het gesê hoekom nie.",
            "Die prys het weer opgegaan en {f} werk steeds nie reg nie.",
            "Ek het meer van {p} verwag na al die goeie resensies.",
        ),
        "story": (
            "Ons het {p} {w} gekoop nadat ons dit by vriende probeer het.",
            "My oggend begin met 'n {d} en 'n bietjie stilte voor werk.",
            "Ek het {p} saamgeneem kampeer toe en dit het die reën oorleef.",
            "{o} was eers skepties, maar maak nou elke aand 'n {d}.",
            "Dit het my {n} pogings gekos om die perfekte {d} te maak, maar dit was die moeite werd.",
            "Ek het vroeër koffie op pad werk toe gekoop, nou maak ek dit tuis.",
        ),
        "news": (
            "Ons stel hierdie maand 'n nuwe weergawe van {f} bekend.",
            "Dankie vir al die terugvoer oor {p}, ons lees elke plasing.",
            "Aflewerings na die platteland is hierdie week weer normaal.",
            "Kom proe saam met ons volgende Donderdagaand.",
            "Ons het die probleem reggemaak waar {f} gehaper het.",
        ),
        "search": (
            "Die nuwe firmware het dit vir my reggemaak.",
            "Watter firmware-weergawe het julle?",
            "Na die firmware-opdatering werk {f} weer.",
            "Ek het die ou firmware teruggesit en die probleem is weg.",
        ),
    },
    titles={
        "discussion": ("Wat is jou gunsteling {d}?", "Wenke vir {p}", "Jou oggendroetine", "Gedagtes oor {f}"),
        "question": ("Hoekom stop {p}?", "Hoe stel ek {f} op?", "Vraag oor {f}", "Hulp met {p} asseblief"),
        "review": ("My resensie van {p}", "{p} na {n} maande", "Eerlike resensie", "Werd die geld?"),
        "praise": ("Dankie vir {p}", "Uitstekende hulp", "Mal oor {f}", "Die beste {d} nog"),
        "criticism": ("Teleurgesteld met {f}", "Aflewering het te lank gevat", "Die prys van {p}", "{f} kort werk"),
        "story": ("Hoe {p} my oggende verander het", "'n {d} in die berge", "My eerste week met {p}", "Koffie tuis"),
        "announcement": ("Nuwe weergawe van {f}", "Vakansie-aflewerings", "Welkom by die gemeenskap", "Wat is nuut"),
        "call_to_action": ("Vertel ons van {f}", "Help ons {p} toets", "Jou terugvoer oor {f}", "Opname oor {d}"),
        "idea": ("Voeg {f} by die Orbit-toep", "Stil modus asseblief", "Deel resepte met vriende", "Idee vir {p}"),
    },
)  # fmt: skip

BANKS: Final = {"en": EN, "pt": PT, "bg": BG, "af": AF}

# What the opening post of each thread kind talks about, and what replies say (kind, weight).
OPENING_TALK: Final = {
    "discussion": (("story", 3), ("ask", 2), ("agree", 1), ("praise", 1)),
    "question": (("ask", 4), ("bug", 2), ("story", 1)),
    "review": (("praise", 3), ("critique", 2), ("story", 2)),
    "praise": (("praise", 4), ("story", 2)),
    "criticism": (("critique", 4), ("bug", 2), ("story", 1)),
    "story": (("story", 5), ("praise", 1)),
    "announcement": (("news", 5), ("thanks", 1)),
    "call_to_action": (("news", 3), ("ask", 2)),
    "idea": (("idea", 4), ("story", 1), ("critique", 1)),
}
REPLY_TALK: Final = (("answer", 5), ("agree", 3), ("thanks", 2), ("story", 2), ("ask", 1), ("bug", 1), ("idea", 1))


@dataclass(frozen=True)
class Text:
    """A body as stored (Markdown source), as rendered (HTML), and as indexed (folded plain text)."""

    body: str
    html: str
    folded: str


@dataclass(frozen=True)
class Sentence:
    text: str
    html: str
    folded: str


def _fill(template: str, slots: dict[str, tuple[str, ...]], rng: random.Random) -> str:
    filled = template.format_map({name: rng.choice(values) for name, values in slots.items()})
    return filled[0].upper() + filled[1:]


def _sentence(text: str) -> Sentence:
    return Sentence(text, html.escape(text, quote=False), fold(text))


class Composer:
    """Posts and titles from pools of filled sentences, reproducible from the seed."""

    def __init__(self, seed: int, pool_size: int = POOL_SIZE) -> None:
        rng = random.Random(seed)  # noqa: S311 -- made-up text, not secrets
        self.rng = random.Random(seed + 1)  # noqa: S311
        self.pools: dict[tuple[str, str], list[Sentence]] = {}
        self.titles: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for language, bank in BANKS.items():
            for kind, templates in bank.sentences.items():
                filled = {_fill(rng.choice(templates), bank.slots, rng) for _ in range(pool_size)}
                self.pools[language, kind] = [_sentence(text) for text in sorted(filled)]
            for kind, templates in bank.titles.items():
                titles = {_fill(rng.choice(templates), bank.slots, rng) for _ in range(pool_size // 4)}
                self.titles[language, kind] = [(title, fold(title)) for title in sorted(titles)]

    def title(self, language: str, kind: str) -> tuple[str, str]:
        """A thread title and its folded form."""
        return self.rng.choice(self.titles[language, kind])

    def body(self, language: str, talk: tuple[tuple[str, int], ...], *, search: bool = False) -> Text:
        """A post of a power-law length: most a sentence or two, some long, a few several paragraphs."""
        rng = self.rng
        count = min(40, int(rng.paretovariate(1.3)))
        kinds = [kind for kind, _w in talk]
        weights = [weight for _k, weight in talk]
        chosen = [rng.choice(self.pools[language, kind]) for kind in rng.choices(kinds, weights, k=count)]
        if search:
            # Early, so that the length limit below never drops it.
            chosen[rng.randrange(min(count, 3))] = rng.choice(self.pools[language, "search"])
        paragraphs: list[list[Sentence]] = [[]]
        length = 0
        for sentence in chosen:
            if length + len(sentence.text) > MAX_BODY_CHARS and length:
                break
            if len(paragraphs[-1]) >= 3 and rng.random() < 0.5:
                paragraphs.append([])
            paragraphs[-1].append(sentence)
            length += len(sentence.text) + 1
        return Text(
            body="\n\n".join(" ".join(s.text for s in paragraph) for paragraph in paragraphs),
            html="".join("<p>" + " ".join(s.html for s in paragraph) + "</p>\n" for paragraph in paragraphs),
            folded=" ".join(s.folded for paragraph in paragraphs for s in paragraph),
        )

    def every_sentence(self) -> list[Sentence]:
        """All pooled sentences (for checks: no Markdown syntax, no accidental search term)."""
        return [sentence for pool in self.pools.values() for sentence in pool]
