"""The demo edition: October–December 2020, composed from the demo items and published,
with its published Spanish and Arabic translations.

The translations say what the English edition says, no more: title, period, introduction,
disclaimer, contact line, the headings of the UN sections, and every entry's summary. Item titles
stay in the items' own language (the renderings mark them as such); the names of the partner
institutions outside the UN are kept as the institutions write them.
"""

import datetime as dt

from django.db import transaction

from partnerpost.content.models import Item
from partnerpost.network.models import User

from . import demo_pictures, workflows
from .models import Edition, Entry

TITLE = "UNPAN Partners' Newsletter"

#: Per language: the edition's own texts, the section headings by partner acronym, and the
#: summaries by item title (an item without one keeps its own summary, in its own language).
TRANSLATIONS = {
    "es": {
        "title": "Boletín de los asociados de la UNPAN",
        "masthead_alt": "Banda decorativa de círculos superpuestos en los azules de la red (imagen de demostración)",
        "period_label": "octubre – noviembre – diciembre de 2020",
        "introduction": (
            "Este trimestre, los asociados de la red se reunieron casi exclusivamente en línea: seminarios web "
            "sobre transformación digital y erradicación de la pobreza, formación en Centroamérica y simposios "
            "para Asia y el Pacífico. El trimestre trajo también nuevas publicaciones, programas de premios y "
            "aniversarios."
        ),
        "disclaimer": (
            "Las opiniones expresadas son las de los autores y no reflejan necesariamente la posición de las "
            "Naciones Unidas."
        ),
        "contact_text": "Escriba al equipo de la UNPAN:",
        "social_links": "La UNPAN en la web | https://publicadministration.un.org",
        "sections": {
            "UN DESA": "Departamento de Asuntos Económicos y Sociales de las Naciones Unidas, División de Instituciones Públicas y Gobierno Digital",
            "UNPOG": "Oficina de Proyectos de las Naciones Unidas sobre Gobernanza",
        },
        "summaries": {
            "Compendium of Digital Government Initiatives in Response to the COVID-19 Pandemic 2020":
                "Respuestas digitales a la pandemia presentadas por los Estados Miembros, con un primer análisis de las "
                "tendencias que muestran, para que los gobiernos puedan aprender unos de otros.",
            "Under-Secretary-General Liu Zhenmin launches the 2021 United Nations Public Service Awards":
                "Se abrió la edición de 2021 de los Premios de las Naciones Unidas al Servicio Público. Los premios "
                "reconocen a las instituciones públicas cuyas innovaciones hacen que la administración sea más eficaz "
                "y responda mejor a la ciudadanía.",
            "Capacity Development Event on the United Nations Public Service Awards: “Enhancing Public Service Delivery in the Decade of Action to meet the Sustainable Development Goals”":
                "Sesión en línea que presentó la labor de los ganadores de los premios de 2020 y explicó cómo participar "
                "en la edición de 2021.",
            "Capacity Development Webinar on “Accelerating Digital Transformation for Sustainable and Resilient Recovery from COVID-19”":
                "Los gobiernos compararon sus estrategias de gobierno digital para salir de la pandemia. Oradores de "
                "China, Estonia, la República de Corea, Singapur y el Reino Unido expusieron lo que les había dado "
                "resultado.",
            "Forum on Sustainable Smart Cities":
                "En el foro se presentaron el Informe Mundial sobre Ciudades Inteligentes 2020 y la traducción al chino "
                "del Informe sobre el Sector Público Mundial 2019.",
            "Webinar on Strengthening the Role of Public Institutions in Achieving Poverty Eradication and Sustainable Development":
                "Los participantes examinaron cómo unas instituciones públicas más sólidas ayudan a los países a reducir "
                "y erradicar la pobreza, y qué les exige la crisis de la COVID-19. El debate se basó en los 11 Principios "
                "de Gobernanza Eficaz para el Desarrollo Sostenible.",
            "Technological and Science-based Solutions to the COVID-19 Challenge":
                "Líderes de la ciencia y la tecnología examinaron las políticas y las innovaciones surgidas durante la "
                "pandemia: lo que funcionó y lo que aún queda por hacer.",
            "Fifteenth Annual Meeting of the Internet Governance Forum (IGF)":
                "El Foro para la Gobernanza de Internet se reunió en línea con el lema «Internet para la resiliencia y "
                "la solidaridad humanas», en cuatro líneas temáticas: datos, medio ambiente, inclusión y confianza.",
            "Capacity Development Webinar on “Developing Institutional Capacities in Digital Transformation for a More Inclusive and Equitable Recovery”":
                "Directores de tecnologías de la información, expertos y responsables de la toma de decisiones se "
                "reunieron para fortalecer la formulación de políticas de transformación digital, con especial atención "
                "a los países menos adelantados, los pequeños Estados insulares en desarrollo, los países en desarrollo "
                "sin litoral y las economías en transición.",
            "Online Training Workshop on “Government Innovation for Social Inclusion of Vulnerable Groups”":
                "Formación de dos días para funcionarios que trabajan en la inclusión social de los grupos vulnerables, "
                "con conferencias, trabajo en grupo y herramientas prácticas para innovar en la administración.",
            "Regional Symposium on “Effective, Inclusive and Accountable Public Institutions and Digital Government Transformation for Resilient Recovery and the Implementation of the SDGs”":
                "Simposio virtual de tres días para las instituciones públicas de Asia y el Pacífico sobre las "
                "capacidades que necesitan para una recuperación resiliente sin dejar de cumplir la Agenda 2030.",
            "XLVI ICAP graduation ceremony":
                "Primera graduación virtual del ICAP: los estudiantes de sus programas de posgrado de toda Centroamérica "
                "recibieron sus certificados y prestaron juramento.",
            "EROPA Bulletin Volume 41":
                "Boletín trimestral de la EROPA: el tema actualizado de su conferencia de 2021, el paso de las "
                "instituciones miembros a la actividad en línea, una convocatoria de ponencias y el 75.º aniversario de "
                "las Naciones Unidas.",
            "Call for papers: Asian Review of Public Administration special issue on COVID-19":
                "La EROPA invitó a presentar artículos para un número especial de la Asian Review of Public "
                "Administration sobre las respuestas de los gobiernos a la COVID-19.",
            "Call for papers: 29th NISPAcee Annual Conference":
                "La NISPAcee invitó a presentar ponencias sobre la participación y el empoderamiento de la ciudadanía "
                "para su conferencia anual de 2021 en Liubliana.",
            "The 29th NISPAcee Annual Conference 2021":
                "«Citizens' Engagement and Empowerment – the Era of Collaborative Innovation in Governance» "
                "(«Participación y empoderamiento de la ciudadanía: la era de la innovación colaborativa en la "
                "gobernanza»): la conferencia anual de la NISPAcee, con ponencias sobre cómo empoderar a la ciudadanía "
                "de Europa Central y Oriental.",
            "ReSPA's 10th Anniversary":
                "Diez años después de su creación, la ReSPA suma más de 400 actividades de formación y de trabajo en red, "
                "y más de 8.000 funcionarios formados en los Balcanes Occidentales.",
            "ReSPA's Redesigned Website":
                "respaweb.eu estrena diseño: una estructura más clara, más fácil de usar y pensada para teléfonos móviles.",
            "Seasonal School on EU Accession Negotiation":
                "Escuela en línea de cinco días, organizada con el EIPA, en la que funcionarios que ya negocian con la UE "
                "asesoraron a colegas de administraciones de los Balcanes Occidentales que están a punto de empezar.",
            "Western Balkans Public Administration Award Ceremony":
                "La ReSPA y la OCDE/SIGMA dieron a conocer a los once galardonados de la primera edición de los Premios "
                "de Administración Pública de los Balcanes Occidentales, que recibirán formación acreditada en gestión ágil.",
            "The 11th ReSPA Governing Board meeting at the Ministerial level":
                "Ministros de los miembros de la ReSPA, altos funcionarios de la Comisión Europea y expertos de los "
                "Balcanes Occidentales reconocieron la labor de la escuela en un año difícil y a lo largo de su primera "
                "década.",
            "Western Balkans Public Administration Awards 2020 champions promoted the innovative digital approaches at the “Government After Shock” global event":
                "Junto con la OCDE/SIGMA, la ReSPA organizó el panel «Think fast… act faster» en Government After Shock, "
                "el evento en línea coordinado por el Observatorio de Innovación del Sector Público de la OCDE.",
            "ReSPA Annual Report 2020":
                "Las actividades de la ReSPA entre octubre de 2019 y el 15 de octubre de 2020.",
            "Second UNDESA-KIPA Forum on “Public Governance and Innovative Partnership for Addressing the COVID-19 Pandemic”":
                "Un foro de debate en línea prolongó la conversación del foro: se respondieron las preguntas que "
                "quedaron abiertas en las sesiones y los participantes siguieron intercambiando ideas.",
            "Online discussion board: Public Governance and Innovative Partnerships for Addressing the COVID-19 Pandemic":
                "Las preguntas que el foro no tuvo tiempo de tratar se plantearon a todos los participantes: las "
                "respuestas, nuevas preguntas e ideas se reunieron en un foro en línea.",
            "NIA Online Course on “Digital Government Policy and Best Practices of Korea”":
                "Curso sobre la planificación y la ejecución de una estrategia de gobierno digital, basado en las "
                "lecciones, los factores de éxito y las prácticas de la propia Corea.",
        },
    },
    "ar": {
        "title": "نشرة شركاء شبكة الأمم المتحدة للإدارة العامة",
        "masthead_alt": "شريط زخرفي من دوائر متداخلة بدرجات الأزرق الخاصة بالشبكة (صورة للعرض التوضيحي)",
        "period_label": "تشرين الأول/أكتوبر – تشرين الثاني/نوفمبر – كانون الأول/ديسمبر 2020",
        "introduction": (
            "في هذا الربع، التقى شركاء الشبكة عبر الإنترنت في كل أنشطتهم تقريبًا: ندوات عبر الإنترنت بشأن التحول "
            "الرقمي والقضاء على الفقر، وتدريب في أمريكا الوسطى، وندوات لمنطقة آسيا والمحيط الهادئ. وشهد الربع "
            "أيضًا صدور منشورات جديدة، وإطلاق برامج للجوائز، والاحتفال بذكرى سنوية."
        ),
        "disclaimer": "الآراء الواردة في هذه النشرة هي آراء أصحابها، ولا تعبّر بالضرورة عن موقف الأمم المتحدة.",
        "contact_text": "للتواصل مع فريق الشبكة:",
        "social_links": "الشبكة على الإنترنت | https://publicadministration.un.org",
        "sections": {
            "UN DESA": "إدارة الشؤون الاقتصادية والاجتماعية بالأمم المتحدة، شعبة المؤسسات العامة والحكومة الرقمية",
            "UNPOG": "مكتب مشاريع الأمم المتحدة المعني بالحوكمة",
        },
        "summaries": {
            "Compendium of Digital Government Initiatives in Response to the COVID-19 Pandemic 2020":
                "استجابات رقمية للجائحة قدّمتها الدول الأعضاء، مع تحليل أولي للاتجاهات التي تكشف عنها، لكي تتعلم "
                "الحكومات بعضها من بعض.",
            "Under-Secretary-General Liu Zhenmin launches the 2021 United Nations Public Service Awards":
                "افتُتحت دورة عام 2021 لجوائز الأمم المتحدة للخدمة العامة. وتكرّم هذه الجوائز المؤسسات العامة التي "
                "تجعل ابتكاراتُها الإدارةَ أكثر فعالية وأكثر استجابة.",
            "Capacity Development Event on the United Nations Public Service Awards: “Enhancing Public Service Delivery in the Decade of Action to meet the Sustainable Development Goals”":
                "جلسة عبر الإنترنت عرضت عمل الفائزين بجوائز عام 2020، وشرحت كيفية المشاركة في دورة عام 2021.",
            "Capacity Development Webinar on “Accelerating Digital Transformation for Sustainable and Resilient Recovery from COVID-19”":
                "قارنت الحكومات استراتيجياتها للحكومة الرقمية من أجل التعافي من الجائحة. وعرض متحدثون من الصين "
                "وإستونيا وجمهورية كوريا وسنغافورة والمملكة المتحدة ما أثبت نجاحه لديهم.",
            "Forum on Sustainable Smart Cities":
                "أُطلق خلال المنتدى التقرير العالمي للمدن الذكية لعام 2020، والترجمة الصينية لتقرير القطاع العام في "
                "العالم لعام 2019.",
            "Webinar on Strengthening the Role of Public Institutions in Achieving Poverty Eradication and Sustainable Development":
                "بحث المشاركون كيف تساعد المؤسساتُ العامة الأقوى البلدانَ على الحد من الفقر والقضاء عليه، وما "
                "تتطلبه منها أزمة كوفيد-19. واستند النقاش إلى مبادئ الحوكمة الفعالة من أجل التنمية المستدامة، وعددها 11 مبدأً.",
            "Technological and Science-based Solutions to the COVID-19 Challenge":
                "استعرض قادة في مجالَي العلوم والتكنولوجيا السياسات والابتكارات التي ظهرت خلال الجائحة: ما نجح منها، "
                "وما لا يزال يتعين القيام به.",
            "Fifteenth Annual Meeting of the Internet Governance Forum (IGF)":
                "انعقد منتدى إدارة الإنترنت عبر الإنترنت تحت شعار «الإنترنت من أجل قدرة الإنسان على الصمود "
                "والتضامن»، في أربعة مسارات مواضيعية: البيانات، والبيئة، والإدماج، والثقة.",
            "Capacity Development Webinar on “Developing Institutional Capacities in Digital Transformation for a More Inclusive and Equitable Recovery”":
                "اجتمع كبار موظفي المعلومات والخبراء وصانعو القرار لتعزيز رسم السياسات المتعلقة بالتحول الرقمي، مع "
                "إيلاء اهتمام خاص لأقل البلدان نموًا، والدول الجزرية الصغيرة النامية، والبلدان النامية غير الساحلية، "
                "والاقتصادات التي تمر بمرحلة انتقالية.",
            "Online Training Workshop on “Government Innovation for Social Inclusion of Vulnerable Groups”":
                "تدريب لمدة يومين للموظفين العاملين في مجال الإدماج الاجتماعي للفئات الضعيفة، يتضمن محاضرات وعملًا "
                "جماعيًا وأدوات عملية للابتكار في العمل الحكومي.",
            "Regional Symposium on “Effective, Inclusive and Accountable Public Institutions and Digital Government Transformation for Resilient Recovery and the Implementation of the SDGs”":
                "ندوة افتراضية على مدى ثلاثة أيام للمؤسسات العامة في منطقة آسيا والمحيط الهادئ، بشأن القدرات التي "
                "تحتاج إليها لتحقيق تعافٍ قادر على الصمود مع مواصلة تنفيذ خطة عام 2030.",
            "XLVI ICAP graduation ceremony":
                "أول حفل تخرّج افتراضي ينظمه المعهد: تسلّم طلاب برامج الدراسات العليا من أنحاء أمريكا الوسطى "
                "شهاداتهم وأدّوا اليمين.",
            "Taller virtual Prospectiva e innovación en la gestión territorial":
                "حلقة عمل عبر الإنترنت بشأن الاستشراف والابتكار في إدارة الأقاليم، في أربع جلسات مدتها الإجمالية ست ساعات.",
            "EROPA Bulletin Volume 41":
                "النشرة الفصلية للمنظمة: الموضوع المحدَّث لمؤتمرها لعام 2021، وانتقال المؤسسات الأعضاء إلى العمل عبر "
                "الإنترنت، ودعوة إلى تقديم الأوراق البحثية، والذكرى السنوية الخامسة والسبعون لإنشاء الأمم المتحدة.",
            "Call for papers: Asian Review of Public Administration special issue on COVID-19":
                "دعت المنظمة إلى تقديم أوراق بحثية لعدد خاص من مجلة Asian Review of Public Administration عن "
                "استجابات الحكومات لكوفيد-19.",
            "Call for papers: 29th NISPAcee Annual Conference":
                "دعت شبكة NISPAcee إلى تقديم أوراق بحثية عن مشاركة المواطنين وتمكينهم، لمؤتمرها السنوي لعام 2021 "
                "في ليوبليانا.",
            "The 29th NISPAcee Annual Conference 2021":
                "«مشاركة المواطنين وتمكينهم: عصر الابتكار التعاوني في الحوكمة»: المؤتمر السنوي لشبكة NISPAcee، مع "
                "أوراق بحثية عن سبل تمكين المواطنين في أوروبا الوسطى والشرقية.",
            "ReSPA's 10th Anniversary":
                "بعد عشر سنوات على إنشائها، تُحصي المدرسة الإقليمية للإدارة العامة (ReSPA) أكثر من 400 نشاط للتدريب "
                "والتواصل، وأكثر من 8000 موظف حكومي دُرِّبوا في أنحاء غرب البلقان.",
            "ReSPA's Redesigned Website":
                "للموقع respaweb.eu تصميم جديد: بنية أوضح، واستخدام أسهل، وملاءمة للهواتف المحمولة.",
            "Seasonal School on EU Accession Negotiation":
                "مدرسة عبر الإنترنت مدتها خمسة أيام، نُظمت بالتعاون مع المعهد الأوروبي للإدارة العامة (EIPA)، قدّم "
                "فيها موظفون حكوميون يتفاوضون فعلًا مع الاتحاد الأوروبي التوجيهَ لزملائهم في إدارات غرب البلقان "
                "المقبلة على بدء المفاوضات.",
            "Western Balkans Public Administration Award Ceremony":
                "أعلنت المدرسة ومبادرة SIGMA التابعة لمنظمة التعاون والتنمية في الميدان الاقتصادي أسماء الفائزين "
                "الأحد عشر في الدورة الأولى لجوائز الإدارة العامة في غرب البلقان، وسيتلقّون تدريبًا معتمدًا في "
                "الإدارة المرنة.",
            "The 11th ReSPA Governing Board meeting at the Ministerial level":
                "أشاد وزراء من الدول الأعضاء في المدرسة وكبار مسؤولي المفوضية الأوروبية وخبراء من غرب البلقان بعمل "
                "المدرسة في عام صعب، وعلى مدى عقدها الأول.",
            "Western Balkans Public Administration Awards 2020 champions promoted the innovative digital approaches at the “Government After Shock” global event":
                "استضافت المدرسة، بالتعاون مع مبادرة SIGMA التابعة لمنظمة التعاون والتنمية في الميدان الاقتصادي، حلقة "
                "النقاش «Think fast… act faster» ضمن فعالية Government After Shock عبر الإنترنت، التي نسّقها مرصد "
                "ابتكار القطاع العام التابع للمنظمة.",
            "ReSPA Annual Report 2020":
                "ما أنجزته المدرسة في الفترة من تشرين الأول/أكتوبر 2019 إلى 15 تشرين الأول/أكتوبر 2020.",
            "Second UNDESA-KIPA Forum on “Public Governance and Innovative Partnership for Addressing the COVID-19 Pandemic”":
                "منتدى نقاش عبر الإنترنت واصل حوار المنتدى: أُجيب فيه عن الأسئلة التي بقيت مفتوحة في الجلسات، "
                "وواصل المشاركون تبادل الأفكار.",
            "Online discussion board: Public Governance and Innovative Partnerships for Addressing the COVID-19 Pandemic":
                "طُرحت الأسئلة التي لم يتسع وقت المنتدى لتناولها على جميع المشاركين، وجُمعت الإجابات والأسئلة "
                "الإضافية والأفكار على منصة إلكترونية.",
            "NIA Online Course on “Digital Government Policy and Best Practices of Korea”":
                "دورة عن تخطيط استراتيجية للحكومة الرقمية وتنفيذها، تستند إلى دروس كوريا نفسها وعوامل نجاحها "
                "وممارساتها.",
        },
    },
}


@transaction.atomic
def load(log=print) -> Edition:
    """The demo edition and its translations; what exists already is left as it is. Returns the original."""
    editor = User.objects.get(username="editor")
    edition = Edition.objects.filter(title=TITLE, period_start=dt.date(2020, 10, 1), translation_of=None).first()
    if edition is None:
        demo_pictures.load(log)
    if edition:
        log(f"Demo edition: already there ({edition.get_state_display().lower()}).")
    else:
        edition = _original(editor, log)
    for language, texts in TRANSLATIONS.items():
        _translation(editor, edition, language, texts, log)
    return edition


def _original(editor, log) -> Edition:
    edition = workflows.create_edition(editor, Edition(
        title=TITLE, period_start=dt.date(2020, 10, 1), period_end=dt.date(2020, 12, 31),
        period_label="October – November – December 2020", language="en",
        introduction=(
            "This quarter the network's partners met almost entirely online: webinars on digital "
            "transformation and poverty eradication, training in Central America, and symposia for Asia "
            "and the Pacific. It also brought new publications, award programmes and anniversaries."
        ),
        contact_email="unpan@un.org", contact_text="Write to the UNPAN team:",
        social_links="UNPAN on the web | https://publicadministration.un.org",
        preheader="Webinars on digital transformation, training in Central America, symposia, awards and new publications",
    ))
    picture, alt = demo_pictures.masthead()
    edition.masthead.save("masthead.png", picture, save=False)
    edition.masthead_alt = alt
    edition = workflows.update_edition(editor, edition)
    # The 2021 NISPAcee conference was announced in this edition although it falls later.
    conference = Item.objects.get(title="The 29th NISPAcee Annual Conference 2021")
    workflows.add_entry(editor, edition, conference)
    edition = workflows.publish_edition(editor, edition)
    count = edition.snapshot["entry_count"]
    log(f"Demo edition: “{edition.title}, {edition.snapshot['period']}” published with {count} entries.")
    return edition


def _translation(editor, edition: Edition, language: str, texts: dict, log) -> Edition:
    existing = edition.translations.filter(language=language).first()
    if existing:
        log(f"Demo edition in {existing.get_language_display()}: already there ({existing.get_state_display().lower()}).")
        return existing
    translation = workflows.translate_edition(editor, edition, language)
    for field in ("title", "period_label", "introduction", "disclaimer", "contact_text", "social_links", "masthead_alt"):
        setattr(translation, field, texts[field])
    workflows.update_edition(editor, translation)
    for section in translation.sections.select_related("partner"):
        if section.partner_id and section.partner.acronym in texts["sections"]:
            workflows.rename_section(editor, section, texts["sections"][section.partner.acronym])
    for entry in Entry.objects.filter(section__edition=translation).select_related("item"):
        if entry.item.title in texts["summaries"]:
            workflows.set_entry_summary(editor, entry, texts["summaries"][entry.item.title])
    translation = workflows.publish_edition(editor, translation)
    log(f"Demo edition in {translation.get_language_display()}: “{translation.title}” published.")
    return translation
