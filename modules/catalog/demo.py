"""Demo catalog: breads, pastries and cakes for the bakery, books in several formats for the
bookshop, in English, German, French and Luxembourgish, with stock through inventory, and a
drawn picture per product (uploaded like a real one, so it gets its resized copies)."""

from __future__ import annotations

import io
import unicodedata
from typing import Any

from PIL import Image, ImageDraw, ImageFont
from sqlalchemy import select
from sqlalchemy.orm import Session

from modules.catalog.models import Category, Product
from modules.catalog.services import catalog_service

LANGS = ("en", "de", "fr", "lb")

BAKERY_CATEGORIES = {
    "breads": ("Breads", "Brote", "Pains", "Brout"),
    "pastries": ("Pastries", "Gebäck", "Viennoiseries", "Gebäck"),
    "cakes": ("Cakes", "Kuchen", "Gâteaux", "Kuch"),
}

# slug, category, price in cents, titles (en, de, fr, lb), descriptions (en, de, fr, lb), variants
BAKERY: list[
    tuple[str, str, int, tuple[str, ...], tuple[str, ...], list[tuple[dict[str, str], int | None]]]
] = [
    (
        "baguette",
        "breads",
        130,
        ("Traditional baguette", "Traditionsbaguette", "Baguette tradition", "Traditiounsbaguette"),
        (
            "Crisp crust, airy crumb, baked every morning.",
            "Knusprige Kruste, luftige Krume, jeden Morgen gebacken.",
            "Croûte croustillante, mie aérée, cuite chaque matin.",
            "Knaschteg Kuuscht, loftegt Bannendrin, all Moie gebak.",
        ),
        [],
    ),
    (
        "rye-bread",
        "breads",
        420,
        ("Rye bread", "Roggenbrot", "Pain de seigle", "Kornbrout"),
        (
            "Dense sourdough rye with a deep flavour.",
            "Kräftiges Roggenbrot aus Sauerteig.",
            "Pain de seigle au levain, dense et savoureux.",
            "Kräftegt Kornbrout aus Suerdeeg.",
        ),
        [({"weight": "500 g"}, None), ({"weight": "1 kg"}, 780)],
    ),
    (
        "wholemeal-loaf",
        "breads",
        380,
        ("Wholemeal loaf", "Vollkornbrot", "Pain complet", "Vollkuerbrout"),
        (
            "Organic wholemeal flour and seeds.",
            "Bio-Vollkornmehl und Saaten.",
            "Farine complète bio et graines.",
            "Bio-Vollkuermiel a Somen.",
        ),
        [],
    ),
    (
        "country-loaf",
        "breads",
        450,
        ("Country loaf", "Bauernbrot", "Pain de campagne", "Bauerebrout"),
        (
            "A rustic loaf with a thick crust.",
            "Ein rustikales Brot mit dicker Kruste.",
            "Un pain rustique à la croûte épaisse.",
            "E rustikaalt Brout mat décker Kuuscht.",
        ),
        [],
    ),
    (
        "luxembourg-bread",
        "breads",
        390,
        ("Luxembourg bread", "Luxemburger Brot", "Pain luxembourgeois", "Lëtzebuerger Brout"),
        (
            "Our classic mixed wheat and rye bread.",
            "Unser klassisches Weizen-Roggen-Mischbrot.",
            "Notre pain mixte froment-seigle classique.",
            "Eist klassescht Weess- a Kornbrout.",
        ),
        [],
    ),
    (
        "spelt-bread",
        "breads",
        460,
        ("Spelt bread", "Dinkelbrot", "Pain d'épeautre", "Spelzbrout"),
        (
            "Light and nutty spelt bread.",
            "Leichtes, nussiges Dinkelbrot.",
            "Pain d'épeautre léger au goût de noisette.",
            "Liichtent, nëssegt Spelzbrout.",
        ),
        [],
    ),
    (
        "walnut-bread",
        "breads",
        520,
        ("Walnut bread", "Walnussbrot", "Pain aux noix", "Nossbrout"),
        (
            "Studded with Moselle walnuts.",
            "Mit Walnüssen von der Mosel.",
            "Garni de noix de la Moselle.",
            "Mat Nëss vun der Musel.",
        ),
        [],
    ),
    (
        "olive-ciabatta",
        "breads",
        350,
        ("Olive ciabatta", "Oliven-Ciabatta", "Ciabatta aux olives", "Oliven-Ciabatta"),
        (
            "Italian style with black olives.",
            "Nach italienischer Art mit schwarzen Oliven.",
            "À l'italienne, aux olives noires.",
            "Op italienesch Aart mat schwaarzen Oliven.",
        ),
        [],
    ),
    (
        "bread-rolls",
        "breads",
        60,
        ("Bread roll", "Brötchen", "Petit pain", "Bréitchen"),
        (
            "Crusty white roll.",
            "Knuspriges weißes Brötchen.",
            "Petit pain blanc croustillant.",
            "Knaschtegt wäisst Bréitchen.",
        ),
        [({"pack": "1"}, None), ({"pack": "6"}, 330)],
    ),
    (
        "brioche-loaf",
        "breads",
        480,
        ("Brioche loaf", "Brioche-Laib", "Brioche tressée", "Brioche"),
        (
            "Soft, buttery and lightly sweet.",
            "Weich, buttrig und leicht süß.",
            "Moelleuse, beurrée et légèrement sucrée.",
            "Mëll, botterech a liicht séiss.",
        ),
        [],
    ),
    (
        "croissant",
        "pastries",
        150,
        ("Butter croissant", "Buttercroissant", "Croissant au beurre", "Botterkcroissant"),
        (
            "Flaky pastry made with pure butter.",
            "Blätterteig aus reiner Butter.",
            "Feuilletage pur beurre.",
            "Bliederdeeg aus purer Botter.",
        ),
        [],
    ),
    (
        "pain-au-chocolat",
        "pastries",
        170,
        ("Chocolate croissant", "Schokocroissant", "Pain au chocolat", "Schockelacroissant"),
        (
            "Two bars of dark chocolate.",
            "Zwei Stangen dunkle Schokolade.",
            "Deux barres de chocolat noir.",
            "Zwou Staange donkel Schockela.",
        ),
        [],
    ),
    (
        "raisin-swirl",
        "pastries",
        190,
        ("Raisin swirl", "Rosinenschnecke", "Pain aux raisins", "Rosinneschneck"),
        (
            "Custard and raisins in a spiral.",
            "Vanillecreme und Rosinen in der Spirale.",
            "Crème pâtissière et raisins en spirale.",
            "Vanillecrème a Rosinnen an der Spiral.",
        ),
        [],
    ),
    (
        "apple-turnover",
        "pastries",
        220,
        ("Apple turnover", "Apfeltasche", "Chausson aux pommes", "Äppeltäsch"),
        (
            "Puff pastry filled with apple compote.",
            "Blätterteig mit Apfelkompott.",
            "Pâte feuilletée garnie de compote de pommes.",
            "Bliederdeeg mat Äppelkompott.",
        ),
        [],
    ),
    (
        "almond-croissant",
        "pastries",
        240,
        ("Almond croissant", "Mandelcroissant", "Croissant aux amandes", "Mandelcroissant"),
        (
            "Filled with almond cream.",
            "Gefüllt mit Mandelcreme.",
            "Garni de crème d'amandes.",
            "Gefëllt mat Mandelcrème.",
        ),
        [],
    ),
    (
        "eclair",
        "pastries",
        290,
        ("Éclair", "Eclair", "Éclair", "Eclair"),
        (
            "Choux pastry with cream.",
            "Brandteig mit Creme.",
            "Pâte à choux garnie de crème.",
            "Brandeeg mat Crème.",
        ),
        [
            ({"flavour": "chocolate"}, None),
            ({"flavour": "coffee"}, None),
            ({"flavour": "vanilla"}, None),
        ],
    ),
    (
        "macarons",
        "pastries",
        180,
        ("Macaron", "Macaron", "Macaron", "Macaron"),
        (
            "Almond meringue shells with ganache.",
            "Mandelbaiser mit Ganache.",
            "Coques d'amande et ganache.",
            "Mandelbaiser mat Ganache.",
        ),
        [({"pack": "1"}, None), ({"pack": "6"}, 990), ({"pack": "12"}, 1890)],
    ),
    (
        "bretzel",
        "pastries",
        140,
        ("Pretzel", "Brezel", "Bretzel", "Bretzel"),
        (
            "Dipped in lye, sprinkled with salt.",
            "In Lauge getaucht, mit Salz bestreut.",
            "Trempé dans la saumure, parsemé de sel.",
            "An der Lauge gedaucht, mat Salz.",
        ),
        [],
    ),
    (
        "quetschentaart",
        "cakes",
        1800,
        ("Plum tart", "Zwetschgenkuchen", "Tarte aux quetsches", "Quetschentaart"),
        (
            "Luxembourg's favourite late-summer tart.",
            "Luxemburgs liebster Spätsommerkuchen.",
            "La tarte préférée du Luxembourg en fin d'été.",
            "Dem Land seng léifsten Taart am Spéitsummer.",
        ),
        [({"size": "6 people"}, None), ({"size": "10 people"}, 2800)],
    ),
    (
        "black-forest",
        "cakes",
        2600,
        (
            "Black Forest gateau",
            "Schwarzwälder Kirschtorte",
            "Forêt-noire",
            "Schwarzwälder Kiischtentaart",
        ),
        (
            "Chocolate sponge, cherries and cream.",
            "Schokobiskuit, Kirschen und Sahne.",
            "Génoise au chocolat, cerises et chantilly.",
            "Schockelasbiskuit, Kiischten a Rahm.",
        ),
        [({"size": "6 people"}, None), ({"size": "10 people"}, 3900)],
    ),
    (
        "cheesecake",
        "cakes",
        2200,
        ("Cheesecake", "Käsekuchen", "Gâteau au fromage", "Kéiskuch"),
        (
            "Creamy and light, with a biscuit base.",
            "Cremig und leicht, mit Keksboden.",
            "Crémeux et léger, sur fond biscuité.",
            "Cremeg a liicht, mat Kichelchersbuedem.",
        ),
        [],
    ),
    (
        "lemon-tart",
        "cakes",
        1900,
        ("Lemon tart", "Zitronentarte", "Tarte au citron", "Zitrounentaart"),
        (
            "Tangy lemon curd and meringue.",
            "Spritzige Zitronencreme und Baiser.",
            "Crème de citron acidulée et meringue.",
            "Spatzeg Zitrounecrème a Baiser.",
        ),
        [],
    ),
    (
        "birthday-cake",
        "cakes",
        3200,
        ("Birthday cake", "Geburtstagstorte", "Gâteau d'anniversaire", "Gebuertsdagstaart"),
        (
            "Sponge, fruit and cream; tell us the name to write.",
            "Biskuit, Obst und Sahne; nennen Sie uns den Namen.",
            "Génoise, fruits et crème ; indiquez-nous le prénom.",
            "Biskuit, Uebst a Rahm; sot eis den Numm.",
        ),
        [
            ({"size": "8 people"}, None),
            ({"size": "12 people"}, 4500),
            ({"size": "20 people"}, 6900),
        ],
    ),
    (
        "carrot-cake",
        "cakes",
        2100,
        ("Carrot cake", "Karottenkuchen", "Gâteau aux carottes", "Muerenkuch"),
        (
            "Spiced, with cream cheese frosting.",
            "Gewürzt, mit Frischkäse-Glasur.",
            "Épicé, glaçage au fromage frais.",
            "Gewierzt, mat Frëschkéis-Glasur.",
        ),
        [],
    ),
    (
        "chocolate-fondant",
        "cakes",
        450,
        ("Chocolate fondant", "Schokoladen-Fondant", "Fondant au chocolat", "Schockelasfondant"),
        (
            "Individual cake with a molten heart.",
            "Törtchen mit flüssigem Kern.",
            "Gâteau individuel au cœur coulant.",
            "Eenzelkuch mat flëssegem Kär.",
        ),
        [],
    ),
]

BOOK_CATEGORIES = {
    "novels": ("Novels", "Romane", "Romans", "Romaner"),
    "children": ("Children's books", "Kinderbücher", "Livres pour enfants", "Kannerbicher"),
    "luxembourg": ("Luxembourg", "Luxemburg", "Luxembourg", "Lëtzebuerg"),
}

# slug, category, author, paperback price, titles (en, de, fr, lb), one-line description (en, de, fr, lb)
BOOKS: list[tuple[str, str, str, int, tuple[str, ...], tuple[str, ...]]] = [
    (
        "river-of-light",
        "novels",
        "Anne Weber",
        1490,
        ("River of Light", "Fluss aus Licht", "Rivière de lumière", "Floss aus Liicht"),
        (
            "A family saga along the Moselle.",
            "Eine Familiensaga an der Mosel.",
            "Une saga familiale le long de la Moselle.",
            "Eng Familljesaga laanscht d'Musel.",
        ),
    ),
    (
        "the-last-tram",
        "novels",
        "Marc Thill",
        1290,
        ("The Last Tram", "Die letzte Tram", "Le dernier tram", "Den leschten Tram"),
        (
            "A night in Luxembourg City, 1959.",
            "Eine Nacht in Luxemburg-Stadt, 1959.",
            "Une nuit à Luxembourg-Ville, 1959.",
            "Eng Nuecht an der Stad, 1959.",
        ),
    ),
    (
        "silent-valley",
        "novels",
        "Claire Muller",
        1690,
        ("Silent Valley", "Stilles Tal", "La vallée silencieuse", "Rouegen Dall"),
        (
            "A crime novel in the Müllerthal.",
            "Ein Krimi im Müllerthal.",
            "Un polar dans le Mullerthal.",
            "E Krimi am Mëllerdall.",
        ),
    ),
    (
        "salt-and-stone",
        "novels",
        "Paul Reuter",
        1890,
        ("Salt and Stone", "Salz und Stein", "Sel et pierre", "Salz a Steen"),
        (
            "Miners' lives in the red earth.",
            "Das Leben der Bergleute im Minett.",
            "La vie des mineurs des Terres Rouges.",
            "D'Liewe vun de Mineuren am Minett.",
        ),
    ),
    (
        "winter-guests",
        "novels",
        "Lea Schmit",
        1390,
        ("Winter Guests", "Wintergäste", "Les hôtes d'hiver", "Wanterkeeschter"),
        (
            "Strangers at an Ardennes inn.",
            "Fremde in einem Ardennen-Gasthof.",
            "Des inconnus dans une auberge ardennaise.",
            "Friem Leit an enger Éisleker Wiertschaft.",
        ),
    ),
    (
        "glass-bridge",
        "novels",
        "Tom Hansen",
        1590,
        ("The Glass Bridge", "Die gläserne Brücke", "Le pont de verre", "D'Glasbréck"),
        (
            "Love across a divided city.",
            "Liebe in einer geteilten Stadt.",
            "Un amour dans une ville divisée.",
            "Léift an enger gedeelter Stad.",
        ),
    ),
    (
        "the-orchard",
        "novels",
        "Nora Klein",
        1790,
        ("The Orchard", "Der Obstgarten", "Le verger", "De Bongert"),
        (
            "Three sisters inherit an orchard.",
            "Drei Schwestern erben einen Obstgarten.",
            "Trois sœurs héritent d'un verger.",
            "Dräi Schwësteren ierwen e Bongert.",
        ),
    ),
    (
        "northern-lights",
        "novels",
        "Jos Wagner",
        1490,
        ("Northern Lights", "Nordlichter", "Aurores boréales", "Nordliichter"),
        (
            "A journey to the far north.",
            "Eine Reise in den hohen Norden.",
            "Un voyage dans le Grand Nord.",
            "Eng Rees an den héijen Norden.",
        ),
    ),
    (
        "the-tailor",
        "novels",
        "Eva Braun-Lenz",
        1690,
        (
            "The Tailor of Echternach",
            "Der Schneider von Echternach",
            "Le tailleur d'Echternach",
            "De Schneider vun Iechternach",
        ),
        (
            "A historical novel of craft and faith.",
            "Ein historischer Roman über Handwerk und Glauben.",
            "Un roman historique d'artisanat et de foi.",
            "En historesche Roman iwwer Handwierk a Glawen.",
        ),
    ),
    (
        "quiet-hours",
        "novels",
        "Max Hoffmann",
        1290,
        ("Quiet Hours", "Stille Stunden", "Heures tranquilles", "Roueg Stonnen"),
        (
            "Short stories of everyday life.",
            "Kurzgeschichten aus dem Alltag.",
            "Nouvelles de la vie quotidienne.",
            "Kuerzgeschichten aus dem Alldag.",
        ),
    ),
    (
        "little-dragon",
        "children",
        "Sara Weis",
        990,
        ("The Little Dragon", "Der kleine Drache", "Le petit dragon", "De klengen Draach"),
        (
            "A dragon who is afraid of fire.",
            "Ein Drache, der Angst vor Feuer hat.",
            "Un dragon qui a peur du feu.",
            "En Draach, deen Angscht virum Feier huet.",
        ),
    ),
    (
        "moon-bear",
        "children",
        "Tim Olinger",
        1190,
        ("Moon Bear", "Mondbär", "L'ours de la lune", "Moundbier"),
        (
            "A bedtime story for little ones.",
            "Eine Gute-Nacht-Geschichte für die Kleinen.",
            "Une histoire du soir pour les petits.",
            "Eng Gutt-Nuecht-Geschicht fir déi Kleng.",
        ),
    ),
    (
        "the-secret-castle",
        "children",
        "Lina Kremer",
        1390,
        ("The Secret Castle", "Das geheime Schloss", "Le château secret", "D'geheimt Schlass"),
        (
            "Adventure in Vianden castle.",
            "Abenteuer auf Burg Vianden.",
            "Aventure au château de Vianden.",
            "Abenteuer op der Buerg Veianen.",
        ),
    ),
    (
        "counting-sheep",
        "children",
        "Ben Faber",
        890,
        ("Counting Sheep", "Schäfchen zählen", "Compter les moutons", "Schéifercher zielen"),
        (
            "Learn to count from one to ten.",
            "Zählen lernen von eins bis zehn.",
            "Apprendre à compter de un à dix.",
            "Zielen léieren vun eent bis zéng.",
        ),
    ),
    (
        "pirate-school",
        "children",
        "Ana Costa",
        1290,
        ("Pirate School", "Piratenschule", "L'école des pirates", "Piraten-Schoul"),
        (
            "First day at a school for pirates.",
            "Der erste Tag in der Piratenschule.",
            "Premier jour à l'école des pirates.",
            "Den éischten Dag an der Piraten-Schoul.",
        ),
    ),
    (
        "forest-friends",
        "children",
        "Jeff Roth",
        1090,
        ("Forest Friends", "Waldfreunde", "Les amis de la forêt", "Bëschfrënn"),
        (
            "Animals of the Luxembourg woods.",
            "Tiere der Luxemburger Wälder.",
            "Les animaux des forêts luxembourgeoises.",
            "Déieren aus de Lëtzebuerger Bëscher.",
        ),
    ),
    (
        "rainy-day",
        "children",
        "Mia Lentz",
        990,
        ("A Rainy Day", "Ein Regentag", "Un jour de pluie", "E Reendag"),
        (
            "Puddles, boots and fun.",
            "Pfützen, Stiefel und Spaß.",
            "Flaques, bottes et jeux.",
            "Pëtzen, Stiwwelen a Spaass.",
        ),
    ),
    (
        "history-of-luxembourg",
        "luxembourg",
        "Gilbert Trausch",
        2490,
        (
            "A History of Luxembourg",
            "Geschichte Luxemburgs",
            "Histoire du Luxembourg",
            "Geschicht vu Lëtzebuerg",
        ),
        (
            "From the county to the Grand Duchy.",
            "Von der Grafschaft zum Großherzogtum.",
            "Du comté au Grand-Duché.",
            "Vun der Grofschaft bis zum Groussherzogtum.",
        ),
    ),
    (
        "hiking-mullerthal",
        "luxembourg",
        "Pit Schroeder",
        1990,
        (
            "Hiking the Mullerthal Trail",
            "Wandern auf dem Müllerthal Trail",
            "Randonnée sur le Mullerthal Trail",
            "Wanderen um Mëllerdall-Trail",
        ),
        (
            "112 km of rocks and forests.",
            "112 km Felsen und Wälder.",
            "112 km de rochers et de forêts.",
            "112 km Fielsen a Bëscher.",
        ),
    ),
    (
        "luxembourgish-for-beginners",
        "luxembourg",
        "Myriam Welschbillig",
        2290,
        (
            "Luxembourgish for Beginners",
            "Luxemburgisch für Anfänger",
            "Le luxembourgeois pour débutants",
            "Lëtzebuergesch fir Ufänker",
        ),
        (
            "Learn the language step by step.",
            "Die Sprache Schritt für Schritt lernen.",
            "Apprendre la langue pas à pas.",
            "D'Sprooch Schrëtt fir Schrëtt léieren.",
        ),
    ),
    (
        "moselle-wines",
        "luxembourg",
        "Jean Kox",
        2790,
        (
            "Wines of the Moselle",
            "Weine der Mosel",
            "Les vins de la Moselle",
            "D'Wäiner vun der Musel",
        ),
        (
            "Vineyards, grapes and crémant.",
            "Weinberge, Rebsorten und Crémant.",
            "Vignobles, cépages et crémant.",
            "Wéngerten, Drauwen a Crémant.",
        ),
    ),
    (
        "luxembourg-cookbook",
        "luxembourg",
        "Lea Linster",
        2990,
        (
            "The Luxembourg Cookbook",
            "Das Luxemburger Kochbuch",
            "Le livre de cuisine luxembourgeois",
            "D'Lëtzebuerger Kachbuch",
        ),
        (
            "Judd mat Gaardebounen and more.",
            "Judd mat Gaardebounen und mehr.",
            "Judd mat Gaardebounen et plus encore.",
            "Judd mat Gaardebounen a vill méi.",
        ),
    ),
    (
        "castles-of-luxembourg",
        "luxembourg",
        "Roger Seimetz",
        3490,
        (
            "Castles of Luxembourg",
            "Burgen Luxemburgs",
            "Châteaux du Luxembourg",
            "Buergen a Schlässer",
        ),
        (
            "A photo tour of 40 castles.",
            "Eine Fotoreise zu 40 Burgen.",
            "Un voyage photo dans 40 châteaux.",
            "Eng Fotoree duerch 40 Buergen.",
        ),
    ),
    (
        "city-walks",
        "luxembourg",
        "Nathalie Becker",
        1590,
        (
            "City Walks: Luxembourg",
            "Stadtspaziergänge: Luxemburg",
            "Balades en ville : Luxembourg",
            "Stadspazéiergäng: Lëtzebuerg",
        ),
        (
            "Ten walks through the capital.",
            "Zehn Spaziergänge durch die Hauptstadt.",
            "Dix balades dans la capitale.",
            "Zéng Spazéiergäng duerch d'Stad.",
        ),
    ),
    (
        "schueberfouer",
        "luxembourg",
        "Carlo Hansen",
        1890,
        (
            "Schueberfouer: 680 Years",
            "Schueberfouer: 680 Jahre",
            "La Schueberfouer : 680 ans",
            "Schueberfouer: 680 Joer",
        ),
        (
            "The story of the great funfair.",
            "Die Geschichte des großen Jahrmarkts.",
            "L'histoire de la grande foire.",
            "D'Geschicht vun der grousser Fouer.",
        ),
    ),
]

FORMATS = {
    "hardcover": ("Hardcover", 800),
    "paperback": ("Paperback", 0),
    "ebook": ("E-book", -500),
}


def _names(values: tuple[str, ...]) -> dict[str, str]:
    return dict(zip(LANGS, values, strict=True))


def _texts(titles: tuple[str, ...], descriptions: tuple[str, ...]) -> dict[str, dict[str, str]]:
    return {
        lang: {"title": title, "description": description}
        for lang, title, description in zip(LANGS, titles, descriptions, strict=True)
    }


def _categories(db: Session, store: Any, spec: dict[str, tuple[str, ...]]) -> dict[str, int]:
    ids = {}
    for position, (slug, names) in enumerate(spec.items()):
        existing = db.scalar(
            select(Category).where(Category.store_id == store.id, Category.slug == slug)
        )
        if existing is None:
            existing = catalog_service.save_category(
                db,
                store_id=store.id,
                slug=slug,
                names=_names(names),
                default_language=store.default_language,
                position=position,
            )
        ids[slug] = existing.id
    return ids


# background and shape colours of the demo pictures, per category
PICTURE_COLOURS = {
    "breads": ((233, 196, 140), (176, 112, 52)),
    "pastries": ((246, 215, 160), (214, 142, 60)),
    "cakes": ((244, 200, 208), (190, 80, 110)),
    "novels": ((196, 214, 232), (52, 92, 140)),
    "children": ((250, 226, 150), (220, 120, 40)),
    "luxembourg": ((210, 228, 240), (200, 40, 50)),
}
PICTURE_SIZE = 900


PICTURE_FONTS = (
    "DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
)
"""Tried in turn for the initials; Pillow's own font (no accented capitals) is the fallback."""


def picture_initials(title: str) -> str:
    """Up to two capital initials of ``title`` with their accents folded (``Éclair`` -> ``E``:
    Pillow's own font has no accented capitals); ``?`` for a title without letters."""
    letters = []
    for word in title.split()[:2]:
        folded = "".join(
            ch for ch in unicodedata.normalize("NFKD", word[:1]) if not unicodedata.combining(ch)
        )
        if folded.isalnum():
            letters.append(folded.upper())
    return "".join(letters) or "?"


def picture_font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """A bold font for the initials: DejaVu Sans when installed, else Pillow's default."""
    for name in PICTURE_FONTS:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def demo_picture(title: str, category: str) -> bytes:
    """A square JPEG standing in for a product photo: the category's colours, a shape and
    the title's initials."""
    background, ink = PICTURE_COLOURS.get(category, ((225, 225, 225), (90, 90, 90)))
    picture = Image.new("RGB", (PICTURE_SIZE, PICTURE_SIZE), background)
    draw = ImageDraw.Draw(picture)
    margin = PICTURE_SIZE // 6
    if category in ("novels", "children", "luxembourg"):
        draw.rounded_rectangle(
            (margin + 60, margin, PICTURE_SIZE - margin - 60, PICTURE_SIZE - margin),
            radius=24,
            fill=ink,
        )
    else:
        draw.ellipse(
            (margin, margin + 80, PICTURE_SIZE - margin, PICTURE_SIZE - margin - 80), fill=ink
        )
    initials = picture_initials(title)
    font = picture_font(PICTURE_SIZE // 4)
    draw.text(
        (PICTURE_SIZE / 2, PICTURE_SIZE / 2), initials, fill=background, font=font, anchor="mm"
    )
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def _add_picture(db: Session, store: Any, product: Product, category: str) -> None:
    if product.images:
        return
    catalog_service.add_image(
        db,
        store_id=store.id,
        product_id=product.id,
        filename=f"{product.slug}.jpg",
        data=demo_picture(product.title_for("en"), category),
    )


def _existing(db: Session, store: Any, slug: str) -> Product | None:
    return db.scalar(select(Product).where(Product.store_id == store.id, Product.slug == slug))


def _bakery(db: Session, store: Any) -> int:
    categories = _categories(db, store, BAKERY_CATEGORIES)
    made = 0
    for n, (slug, category, price, titles, descriptions, variants) in enumerate(BAKERY, start=1):
        existing = _existing(db, store, slug)
        if existing is not None:
            _add_picture(db, store, existing, category)  # demos loaded before pictures existed
            continue
        prefix = f"BAK-{n:03d}"
        rows = [
            {
                "sku": f"{prefix}-{i + 1}",
                "options": options,
                "price_cents": own,
                "stock": 10 + (n * 7 + i * 3) % 40,
            }
            for i, (options, own) in enumerate(variants)
        ] or [{"sku": prefix, "options": {}, "stock": 10 + (n * 7) % 40}]
        product = catalog_service.create_product(
            db,
            store_id=store.id,
            slug=slug,
            category_id=categories[category],
            translations=_texts(titles, descriptions),
            variants=rows,
            price_cents=price,
            vat_rate=300,
            brand="Boulangerie Dupont",
            status="published",
            default_language=store.default_language,
            actor="demo",
        )
        _add_picture(db, store, product, category)
        made += 1
    return made


def _bookshop(db: Session, store: Any) -> int:
    from modules.inventory.services import inventory_service

    categories = _categories(db, store, BOOK_CATEGORIES)
    made = 0
    for n, (slug, category, author, price, titles, descriptions) in enumerate(BOOKS, start=1):
        existing = _existing(db, store, slug)
        if existing is not None:
            _add_picture(db, store, existing, category)  # demos loaded before pictures existed
            continue
        prefix = f"BOOK-{n:03d}"
        rows = [
            {
                "sku": f"{prefix}-{code[:2].upper()}",
                "options": {"format": label},
                "price_cents": price + extra if extra else None,
                "stock": 0 if code == "ebook" else 2 + (n * 5) % 15,
            }
            for code, (label, extra) in FORMATS.items()
        ]
        product = catalog_service.create_product(
            db,
            store_id=store.id,
            slug=slug,
            category_id=categories[category],
            translations=_texts(titles, descriptions),
            variants=rows,
            price_cents=price,
            vat_rate=300,
            brand=author,
            gtin=f"978{2000000000 + n * 7919:010d}"[:13],
            status="published",
            default_language=store.default_language,
            actor="demo",
        )
        _add_picture(db, store, product, category)
        inventory_service.ensure_item(db, store_id=store.id, sku=f"{prefix}-EB", unlimited=True)
        made += 1
    return made


def load_demo(db: Session, platform: Any, stores: list[Any]) -> list[str]:
    """Create the demo products that do not exist yet (running it again adds nothing)."""
    lines = []
    if len(stores) >= 1:
        made = _bakery(db, stores[0])
        if made:
            lines.append(f"Created {made} demo products in {stores[0].code!r}.")
    if len(stores) >= 2:
        made = _bookshop(db, stores[1])
        if made:
            lines.append(f"Created {made} demo products in {stores[1].code!r}.")
    return lines
