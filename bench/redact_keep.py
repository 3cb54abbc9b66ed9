"""Dev-only: a keep corpus, text with no identifier at all, to find the scrubber's false positives.

    python -m bench.redact_keep            # false replacements per rule, then each one
    python -m bench.redact_keep --quiet    # counts only

Two parts: requests written for this file in practitioners' styles (case-consultation prose,
lower-case chat, SMS, franglais, case-file headers with roles instead of names; EN and FR), and the
bot's own prose (prompts/*.toml, bot/locales/*.toml, the domain reference if present). Nothing in
it names a person, place or organisation that identifies anyone, so everything the scrubber
replaces here is a false positive. Written without reading bench/data/indep/.
"""

from __future__ import annotations

import re
import sys
import tomllib
from collections import Counter
from pathlib import Path

from domain.redact import scrub

ROOT = Path(__file__).resolve().parent.parent

WRITTEN_EN = """\
the pain will pass, she keeps telling herself that
her mood rose after the meds were adjusted
call 911 if he shows up again, that's the plan we made
Will she be safe if she goes back for her things?
Mark the court date in the file and tell the worker.
Grace period on the rent ends next week.
Hope is all she has right now, honestly.
Rose to the occasion at the meeting, the mom did really well.
Sue for custody is what his lawyer keeps threatening.
Bill C-75 changed how bail works for IPV cases.
the kids are 4 and 7, the older one is in grade 2
mom is 34, dad is 38, they separated in the spring
he has access every second weekend, supervised
she said he choked her twice last month
strangulation is a huge red flag for us
is there a way to get the no-contact order extended?
the worker from child protection wants a safety plan by friday
any tips for talking to a 6 year old about what they saw?
she's scared to call the police because of her status
her status is precarious, she's on a spousal sponsorship
he controls all the money, she has no bank card
coercive control isn't a crime here yet, right?
the baby is 8 months, teething, mom exhausted
dad drinks most nights, mom uses pills to sleep
we're worried about the custody exchange at the mall
can someone from the men's program weigh in?
i've been doing this 12 yrs and this one scares me
ok so update: she went back to him
idk what else to try tbh
she cancelled again, third time this month
he texted her 40 times yesterday
the teen is refusing to go to his dad's
the youngest wets the bed since the separation
she wants to leave but has nowhere to go
shelter was full so she's couch surfing
we got her on the waitlist for second stage housing
legal aid said they can't take her till next month
he broke her phone so she uses mine to call
her sister lets her stay a few nights at a time
the kids' school called about bruises
the older girl is parentified, she does everything
mom has a history of depression, on meds now
dad was in the army, possible PTSD
he has guns at home, hunting rifles
the firearms were supposedly removed but who knows
the risk assessment came back high
we did the danger assessment together last week
he's on probation till the end of the year
breach of conditions, he was at the house sunday
the crown wants her to testify
she doesn't want to testify, she's terrified
victim services will do court prep with her
her mom is supportive but lives far away
grandma takes the kids after school
the aunt is also in a violent relationship
i feel like i'm failing her
supervision with my manager helped a bit
secondary trauma is real, i'm tired
anyone else feel like the system is stacked against moms?
thx everyone for the replies yesterday, super helpful
quick q: do we have to report if the kids weren't there?
duty to report applies if a child is exposed, that's my understanding
in our agency we report when there's exposure
the family court judge ordered a parenting assessment
the assessor sided with dad, mom is devastated
parental alienation keeps coming up in court
his lawyer is arguing she's unstable
she has a mental health diagnosis and they're using it against her
the psychiatrist says she's fit to parent
addiction services has a long wait
detox has a bed on tuesday maybe
he says he'll go to treatment if she comes back
classic cycle, honeymoon phase right now
the apology flowers came yesterday lol
he's sweet when the in-laws visit
the mother-in-law blames her for everything
cultural pressure to stay married is huge for her
she worries about the community finding out
interpreter services were booked but didn't show
she speaks some english, better in her own language
the kids translate for her which isn't ok
newcomer services helped with the forms
the worker at the settlement agency is great
her work permit expires soon
open work permit for victims of family violence could help
she's a permanent resident now so that's one less fear
immigration lawyer says the sponsorship can't be pulled for that
the elder in the community offered to help
sharing circle on thursdays at the friendship centre
she wants a traditional healing approach
we talked about smudging and ceremony
the kids are in care right now, kinship placement
reunification plan has 6 steps
she completed the parenting course
the access visits go ok mostly
he no-showed the last two visits
the kids cry after visits
play therapy started last week
the school counsellor is on board
teacher noticed she's withdrawn
daycare staff saw him at the fence
we asked daycare not to release the kids to him
there's no order so they can't refuse him
emergency protection order could be an option
peace bond was suggested by police
the officer was really good with her
the first officer minimized it, second one was better
police took a statement but no charges
charges were laid for assault and uttering threats
he was released on an undertaking
the bail conditions say no contact
he contacts her through the kids
he uses the kids' tablets to message her
he tracks her phone, we think
she found an airtag in the car
tech safety check is booked
we reset all her passwords together
new phone, new number, new email
she's afraid he'll find the new place
the landlord is understanding
she's behind on rent two months
income assistance said she's eligible
child benefit went to his account
we're trying to get the benefit redirected
the bank was helpful actually
she opened her own account
financial abuse is the hardest to prove
he took out loans in her name
credit check showed a ton of debt
she works part time at a grocery store
she's a nurse, works nights
he's a contractor, self-employed
they own the house together
the house is in his name only
she wants to keep the dog
the pets are a big reason she stays
pet foster program might take the cat
her health is suffering, headaches and no sleep
the doctor prescribed something for anxiety
the ER visit was written up as a fall
traumatic brain injury screening might be needed
she has a disability, uses a wheelchair
he's her caregiver which makes it so complicated
older adult abuse, the son takes her pension
the daughter lives with her and yells all the time
same-sex couple, she's worried nobody will take her seriously
he's a man who's the victim, services are thin
two-spirit youth, kicked out by the family
the youth shelter has a bed tonight
he's 17 so he's in between systems
the teen is self-harming
crisis line was helpful overnight
mobile crisis came out
hospital kept her for 72 hours
she's home now with a follow-up next week
we meet every tuesday morning
see you at the workshop
loved the discussion last time
can we talk about burnout next session?
my question for the group: how do you hold both the mom's and the kids' safety?
what would you do in my shoes?
any resources for dads who want to change?
the program for men has an intake next month
he finished the group but nothing changed
accountability without shaming, that's the goal
he minimizes everything, blames her drinking
denial, blame and minimization, all three
risk is dynamic, it changes week to week
recent separation is the most dangerous time
he's been stalking her since she left
she saw his truck outside work
the restraining order was denied
appeal is possible but costly
pro bono lawyer might take it
the family has a worker from the health authority
public health nurse does home visits
the midwife flagged it first
prenatal care is spotty
she's pregnant again, 20 weeks
the pregnancy is making him worse
sorry for the long post
tldr: she's safe tonight, not sure about tomorrow
brb
ok ty
np, glad to help
omw to court, will update after
lol that's exactly what happened to my client
smh the system
pls call me when you get this
my client says the kids are doing better
her boyfriend moved in last month
the new partner seems ok but we don't know much
stepdad is strict, the kids are scared of him
half-brother lives with them part time
the cousin babysits sometimes
we had a case conference on wednesday
collaboration with the school was smooth
the police and child protection didn't share info
information sharing rules are confusing
privacy law lets us share when there's imminent risk
consent form signed for the doctor only
she revoked consent for the school
documentation is key, write everything down
records can be subpoenaed so be careful what you write
case notes should be factual
Client: mother, 34, two children
DOB: not recorded
Referral source: self
Presenting issue: IPV, housing, child welfare involvement
Risk level: high
Plan: safety planning, legal referral, follow up in one week
Worker: me
Next steps: call legal aid, check shelter beds
Summary of contact: phone call, 20 minutes
Reason for referral: disclosed violence to the family doctor
Safety concerns: weapons in the home, threats to kill
Children: 2 (ages 5 and 9)
Services involved: child protection, police, shelter outreach
Question for the group: when is it ok to close the file?
Amber alert was issued last year in a different case, that's why she panics
Crystal meth is part of the picture for dad
Honey, he calls her, then screams at her five minutes later
Chance of him showing up is high
Summer is the worst, the kids are home all day
April was rough, May was better
Frank talk with her about the risks
Max two visits a week, that's what the order says
Guy at the front desk was rude to her
Pat down at court security scared the kids
Drew a picture of the house with the kids
Rocky relationship from day one
Sunny days are better for her mood
Faith community is important to her
Joy was not part of that house
Dawn visits are the only time he's sober
Ruby the dog is her reason to stay
Victoria Day weekend is when it happened
Christmas is coming and she dreads it
Father's Day is a trigger for the kids
Mother's Day was awful
Thanksgiving dinner ended with the police there
over the holidays things escalated
Monday she called, Tuesday she recanted
Friday night is when he drinks the most
Saturday mornings are the custody exchange
Sunday dinner at his mom's is mandatory
the shelter, the clinic and the school all know
the hospital social worker called me
the crown attorney's office is slow
the judge seemed fair
the court date is coming up
the hearing got adjourned
the trial is set for the fall
family court vs criminal court, she's in both
"""

WRITTEN_FR = """\
mon chum dit que c'est juste une passe
c'est juste trop pour elle en ce moment
elle peut appeler le 119 si elle s'inquiète pour les enfants
composez le 911 en cas d'urgence
la loi du 9 juillet 2010 sur les violences faites aux femmes
la mère a 32 ans, le père 40
les enfants ont 3 et 6 ans
la plus vieille est en 2e année
le père a des droits d'accès une fin de semaine sur deux
elle dit qu'il l'a étranglée la semaine passée
la strangulation, c'est un gros drapeau rouge
la DPJ a retenu le signalement
l'intervenante de la DPJ veut un plan de sécurité
la TS du CLSC est au courant
le CLSC fait le suivi en santé mentale
la maison d'hébergement était pleine
elle est hébergée depuis lundi
elle a été référée par le médecin de famille
elle veut quitter mais n'a nulle part où aller
elle dort chez sa sœur quelques nuits
son ex la texte sans arrêt
il lui a envoyé 30 textos hier
il contrôle tout l'argent
elle n'a pas accès au compte conjoint
la violence économique est difficile à prouver
il a pris des prêts à son nom
elle travaille à temps partiel dans une épicerie
elle est préposée aux bénéficiaires, de nuit
il est camionneur, souvent absent
ils sont propriétaires de la maison
la maison est à son nom à lui
elle veut garder le chien
les animaux, c'est une grosse raison pour rester
elle a des maux de tête et ne dort plus
le médecin lui a prescrit quelque chose pour l'anxiété
à l'urgence, ils ont noté une chute
il faudrait un dépistage de traumatisme crânien
elle vit avec un handicap
c'est lui le proche aidant, c'est compliqué
maltraitance envers une personne aînée, le fils prend sa pension
la fille vit avec elle et crie tout le temps
couple de même sexe, elle a peur qu'on ne la prenne pas au sérieux
c'est un homme victime, il y a peu de services
jeune bispirituel mis à la porte par sa famille
l'auberge du cœur a une place ce soir
il a 17 ans, il est entre deux systèmes
l'ado s'automutile
la ligne de crise a aidé pendant la nuit
l'équipe mobile de crise est venue
l'hôpital l'a gardée 72 heures
elle est de retour à la maison avec un suivi la semaine prochaine
on se rencontre tous les mardis matin
à la prochaine rencontre
merci pour les réponses d'hier, super aidant
question rapide : doit-on faire un signalement si les enfants n'étaient pas là?
l'exposition à la violence conjugale est un motif de signalement
le juge a ordonné une expertise psychosociale
l'expertise a donné raison au père
l'aliénation parentale revient souvent en cour
son avocat dit qu'elle est instable
elle a un diagnostic en santé mentale et ils s'en servent contre elle
le psychiatre dit qu'elle est apte à s'occuper des enfants
la liste d'attente en dépendance est longue
il y a peut-être un lit en désintox mardi
il dit qu'il ira en thérapie si elle revient
le cycle classique, on est dans la lune de miel
les fleurs d'excuse sont arrivées hier lol
il est doux quand la belle-famille est là
la belle-mère la blâme pour tout
la pression culturelle pour rester mariée est énorme
elle a peur que la communauté l'apprenne
l'interprète n'est pas venu
elle parle un peu français, mieux dans sa langue
les enfants traduisent pour elle, ce n'est pas correct
les services aux nouveaux arrivants l'ont aidée avec les formulaires
son permis de travail expire bientôt
elle est résidente permanente maintenant
le parrainage ne peut pas être retiré pour ça
l'aînée de la communauté a offert son aide
cercle de partage le jeudi au centre d'amitié autochtone
elle veut une approche de guérison traditionnelle
les enfants sont placés chez la grand-mère
le plan de réunification a six étapes
elle a fini le programme d'habiletés parentales
les visites supervisées se passent bien en général
il ne s'est pas présenté aux deux dernières visites
les enfants pleurent après les visites
la thérapie par le jeu a commencé
la psychoéducatrice de l'école embarque
l'enseignante trouve qu'elle est renfermée
le personnel de la garderie l'a vu à la clôture
on a demandé à la garderie de ne pas lui remettre les enfants
il n'y a pas d'ordonnance, ils ne peuvent pas refuser
un 810 pourrait être une option
l'engagement de ne pas troubler l'ordre public a été suggéré
le policier a été vraiment correct avec elle
le premier policier a minimisé, le deuxième était mieux
la police a pris une déposition mais pas d'accusation
il a été accusé de voies de fait et de menaces
il a été libéré sous promesse
les conditions disent aucun contact
il la contacte par les enfants
il utilise les tablettes des enfants pour lui écrire
on pense qu'il suit son téléphone
elle a trouvé un traceur dans l'auto
on a changé tous ses mots de passe ensemble
nouveau cell, nouveau numéro, nouveau courriel
elle a peur qu'il trouve le nouvel appart
le propriétaire est compréhensif
elle a deux mois de retard sur le loyer
l'aide sociale dit qu'elle est admissible
l'allocation familiale va dans son compte à lui
la banque a été aidante finalement
elle a ouvert son propre compte
chu tellement fatiguée de ce dossier
jsuis en retard, je vous reviens
tkt je m'en occupe
pk il fait ça, je comprends pas
bcp de stress cette semaine
mdr c'est exactement ça
slt tout le monde
ok merci
de rien
elle a fait un safety plan avec moi
le worker de la DPJ est full gentil
c'est full toxique comme relation
il est genre super jaloux
elle a checké son phone pendant la rencontre
on a eu un meeting avec l'école
le call avec l'avocate était long
sa blonde est au courant
son chum actuel a l'air correct
le beau-père est sévère, les enfants en ont peur
le demi-frère vit avec eux à temps partiel
la cousine garde parfois
on a eu une rencontre de concertation mercredi
la collaboration avec l'école a bien été
la police et la DPJ ne se sont pas parlé
les règles de partage d'information sont floues
la loi permet de lever le secret professionnel en cas de danger imminent
le consentement est signé pour le médecin seulement
elle a retiré son consentement pour l'école
les dossiers peuvent être assignés à comparaître
les notes évolutives doivent être factuelles
Cliente : mère, 34 ans, deux enfants
Date de naissance : non inscrite
Source de référence : elle-même
Motif de consultation : violence conjugale, logement, DPJ
Niveau de risque : élevé
Plan : plan de sécurité, référence juridique, suivi dans une semaine
Intervenante : moi
Prochaines étapes : appeler l'aide juridique, vérifier les places en hébergement
Enfants : 2 (5 et 9 ans)
Services impliqués : DPJ, police, maison d'hébergement
Question au groupe : quand est-ce correct de fermer le dossier?
Pierre qui roule n'amasse pas mousse, comme dit sa mère
Rose, c'est la couleur de la chambre des enfants
Claire et nette, sa demande au tribunal
Blanche comme un drap quand elle l'a vu
Patience, on avance lentement
Constance dans le suivi, c'est ce qui aide
Juste avant la rencontre, elle m'a appelée
Dès lundi, elle commence le programme
Aimé de ses enfants, il ne comprend pas pourquoi elle part
Côté finances, c'est la catastrophe
du côté de la mère, la famille est aidante
Marine, la couleur de son manteau, il la reconnaît de loin
Grand merci à tout le monde
Petit à petit, elle reprend confiance
Léger mieux cette semaine
France, Belgique et Québec n'ont pas les mêmes lois
Noël s'en vient et elle a peur
la fête des Pères est difficile pour les enfants
la fête des Mères a mal fini
pendant les Fêtes, ça a dégénéré
lundi elle a appelé, mardi elle s'est rétractée
le vendredi soir, c'est là qu'il boit le plus
le samedi matin, c'est l'échange de garde
le dimanche, souper obligatoire chez sa mère à lui
la maison, la clinique et l'école sont toutes au courant
la travailleuse sociale de l'hôpital m'a appelée
le bureau du DPCP est lent
la juge semblait juste
la date de cour approche
l'audience a été reportée
le procès est prévu à l'automne
chambre de la famille et chambre criminelle, elle est dans les deux
elle a appelé SOS violence conjugale
le 811 lui a conseillé de consulter
Info-Social peut répondre la nuit
la ligne 1 800 n'a pas répondu
le 211 l'a référée à une banque alimentaire
l'aide juridique dit qu'elle ne peut pas la prendre avant le mois prochain
elle craint pour sa vie
il a menacé de se tuer si elle part
il a des armes de chasse à la maison
les armes auraient été retirées
l'évaluation du risque est élevée
il est en probation jusqu'à la fin de l'année
bris de conditions, il était à la maison dimanche
le procureur veut qu'elle témoigne
elle ne veut pas témoigner
le CAVAC va la préparer pour la cour
sa mère la soutient mais habite loin
la grand-mère garde les enfants après l'école
je me sens impuissante
la supervision clinique m'a aidée
la fatigue de compassion, c'est réel
vous faites quoi dans ce genre de situation?
qu'est-ce que vous feriez à ma place?
des ressources pour les pères qui veulent changer?
le programme pour hommes a une évaluation le mois prochain
il a fini le groupe mais rien n'a changé
responsabilisation sans humilier, c'est le but
il minimise tout, il blâme sa consommation à elle
le risque est dynamique
la séparation récente, c'est le moment le plus dangereux
il la traque depuis qu'elle est partie
elle a vu son camion devant son travail
elle est enceinte de 20 semaines
la grossesse le rend pire
désolée pour le long message
en résumé : elle est en sécurité ce soir
le lac était gelé quand ils sont allés à la pêche
la rivière déborde chaque printemps
elle vit en région, loin de tout
en milieu rural, les services sont rares
en ville, c'est plus facile d'avoir des services
"""

# Placeholders in the bot's strings ("{label}", "{n}") are not prose
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def bot_prose() -> list[tuple[str, str]]:
    """(lang, text) for each string of the prompts and locales, and each paragraph of domain.md."""
    out = []
    for path in sorted((ROOT / "prompts").glob("*.toml")) + sorted((ROOT / "bot" / "locales").glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for key, val in data.items() if isinstance(data, dict) else ():
            for s in _strings(val):
                lang = "fr" if path.stem == "fr" or re.search(r"\b(?:les|des|vous|une|est)\b", s) else "en"
                out.append((lang, _PLACEHOLDER.sub("", s)))
    domain = Path("/work/shared/domain.md")
    if domain.exists():
        for para in domain.read_text(encoding="utf-8").split("\n"):
            if para.strip():
                lang = "fr" if re.search(r"\b(?:les|des|vous|une|est)\b", para) else "en"
                out.append((lang, para))
    return out


def corpus() -> list[tuple[str, str, str]]:
    """(source, lang, text)"""
    rows = [("written", "en", s) for s in WRITTEN_EN.splitlines() if s.strip()]
    rows += [("written", "fr", s) for s in WRITTEN_FR.splitlines() if s.strip()]
    rows += [("bot", lang, s) for lang, s in bot_prose()]
    return rows


def run() -> tuple[Counter, list[str], dict[str, int]]:
    by_rule: Counter = Counter()
    notes = []
    words: dict[str, int] = Counter()
    for source, lang, text in corpus():
        res = scrub(text, lang)
        words[f"{source} {lang}"] += len(text.split())
        for r in res.replacements:
            by_rule[f"{source} {lang} | {r.rule}"] += 1
            notes.append(f"[{source} {lang}] {r.original!r} ({r.kind}; {r.rule}): {text[:160]}")
    return by_rule, notes, words


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    by_rule, notes, words = run()
    for k, n in sorted(words.items()):
        fp = sum(v for r, v in by_rule.items() if r.startswith(k + " "))
        print(f"{k:<12} {n:>6} words  {fp:>4} false replacements")
    for rule, n in by_rule.most_common():
        print(f"{n:>4}  {rule}")
    if "--quiet" not in argv:
        for n in notes:
            print(n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
