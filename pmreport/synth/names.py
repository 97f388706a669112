"""Invented names: generic common first names and surnames, invented school names.

Every person and school the generator makes up is fictional; the lists are of common words,
never of real people or real schools.
"""

from __future__ import annotations

FEMALE_FIRST = (
    "Amelia", "Olivia", "Emily", "Sophie", "Jessica", "Hannah", "Charlotte", "Lucy", "Rebecca", "Laura",
    "Sarah", "Emma", "Rachel", "Claire", "Helen", "Karen", "Joanne", "Nicola", "Louise", "Victoria", "Katie",
    "Gemma", "Amy", "Natalie", "Zoe", "Megan", "Chloe", "Ellie", "Holly", "Anna", "Maria", "Kate", "Jane",
    "Susan", "Alison", "Fiona", "Ruth", "Mary", "Elizabeth", "Bethany", "Abigail", "Lauren", "Jade", "Kirsty",
    "Leanne", "Stacey", "Donna", "Tracey", "Paula",
)
MALE_FIRST = (
    "James", "Oliver", "Thomas", "Daniel", "Matthew", "David", "Michael", "Andrew", "Mark", "Paul", "Richard",
    "Peter", "Stephen", "Christopher", "Robert", "John", "Simon", "Ian", "Gareth", "Neil", "Adam", "Ben",
    "Sam", "Luke", "Ryan", "Jack", "Harry", "Tom", "Joe", "Alex", "Craig", "Lee", "Darren", "Wayne", "Martin",
    "Graham", "Philip", "Kevin", "Jason", "Carl",
)
SURNAMES = (
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson", "Wright",
    "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke", "Harris",
    "Lewis", "Martin", "Cooper", "King", "Baker", "Hill", "Ward", "Turner", "Moore", "Hughes", "Edwards",
    "Parker", "Morris", "Cook", "Bell", "Watson", "Carter", "Phillips", "Mitchell", "Campbell", "Stewart",
    "Murphy", "Kelly", "Walsh", "Fisher", "Marshall", "Owen", "Hunt", "Palmer", "Mills", "Barnes", "Knight",
    "Lloyd", "Butler", "Russell", "Fox", "Grant", "Dixon", "Ellis", "Gibson", "Holmes", "Kennedy", "Pearce",
    "Reid",
)

#: Invented place-like words for school names.
PLACE_WORDS = (
    "Oakfield", "Meadowbrook", "Ashgrove", "Willowdene", "Hazelmere", "Elmstead", "Brookside", "Fernhill",
    "Larkspur", "Rowanbank", "Thornbury Vale", "Kestrel Park", "Silverbirch", "Foxley Green", "Harefield Common",
    "Beechcroft", "Mapleton", "Cherrywood", "Highmoor", "Linden Lea", "Westbrook", "Sandown Heath",
    "Riverside Meadow", "Northgate", "Holly Bank", "Copper Beech", "Alderwood", "Greenacre", "Heatherside",
)

SCHOOL_SUFFIX = {
    "primary": ("Primary School", "Primary Academy", "Community Primary School", "CE Primary School"),
    "secondary": ("Academy", "High School", "School", "Community College"),
    "special": ("School", "Special School", "Academy"),
    "all_through": ("All-Through School", "Academy", "All-Through Academy", "School"),
}

#: English local authorities (public bodies, not people).
LOCAL_AUTHORITIES = (
    "Kent", "Essex", "Hertfordshire", "Lancashire", "Devon", "Norfolk", "Leeds", "Birmingham", "Surrey",
    "Hampshire", "Suffolk", "Nottinghamshire", "Derbyshire", "Staffordshire", "Cornwall", "Manchester",
    "Bristol", "Sheffield", "Cumberland", "Lincolnshire", "Somerset", "Wiltshire", "Cheshire East",
)

#: First names and surnames loosely matched to ethnicity groups, for realism only.
NAME_POOLS = {
    "asian": (
        ("Fatima", "Aisha", "Priya", "Anita", "Sunita", "Yasmin", "Amina", "Nadia", "Zara", "Shabana"),
        ("Mohammed", "Ali", "Imran", "Raj", "Sanjay", "Tariq", "Amir", "Hassan", "Vikram", "Bilal"),
        ("Patel", "Khan", "Ahmed", "Shah", "Singh", "Begum", "Hussain", "Ali", "Iqbal", "Sharma"),
    ),
    "black": (
        ("Grace", "Joy", "Blessing", "Abena", "Chantelle", "Precious", "Ama", "Faith"),
        ("Kwame", "Samuel", "Emmanuel", "Kofi", "Marcus", "Tyrone", "Daniel", "Joseph"),
        ("Okafor", "Mensah", "Campbell", "Boateng", "Adeyemi", "Johnson", "Williams", "Francis"),
    ),
    "chinese": (("Mei", "Lin", "Xin", "Li"), ("Wei", "Jun", "Hao", "Ming"), ("Chen", "Wong", "Li", "Zhang")),
    "white_other": (
        ("Anna", "Maria", "Agnieszka", "Sofia", "Elena", "Katarzyna"),
        ("Tomasz", "Marco", "Piotr", "Luca", "Andrei", "Pawel"),
        ("Kowalski", "Nowak", "Silva", "Rossi", "Popescu", "Murphy", "Kelly", "Walsh"),
    ),
}

RELIGIONS = (
    ("No religion", 40), ("Christian", 38), ("Muslim", 6), ("Hindu", 2), ("Sikh", 1), ("Jewish", 1),
    ("Buddhist", 1), ("Other", 1), ("Prefer not to say", 10),
)
ORIENTATIONS = (("Heterosexual", 82), ("Gay or lesbian", 3), ("Bisexual", 2), ("Prefer not to say", 13))
