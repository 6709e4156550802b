from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0002_product_stock_shipment"),
    ]

    operations = [
        migrations.AddField(
            model_name="order",
            name="delivery_postal_code",
            field=models.CharField(
                blank=True,
                db_default="",
                default="",
                max_length=16,
                verbose_name="delivery postal code",
            ),
        ),
    ]
