"""The room models, moved from live/ with their tables (live_room, …) as they are."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('live', '0003_presence_seen_at'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay as they are (db_table): only which app owns them changes.
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Room',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('last_seq', models.PositiveBigIntegerField(default=0, verbose_name='最新序号')),
                        ('chat_muted', models.BooleanField(default=False, verbose_name='全体禁言')),
                    ],
                    options={
                        'verbose_name': '房间',
                        'verbose_name_plural': '房间',
                        'db_table': 'live_room',
                    },
                ),
                migrations.CreateModel(
                    name='Presence',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('channel_name', models.CharField(max_length=200)),
                        ('joined_at', models.DateTimeField()),
                        ('left_at', models.DateTimeField(blank=True, null=True)),
                        ('seen_at', models.DateTimeField(blank=True, null=True)),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='presences', to=settings.AUTH_USER_MODEL)),
                        ('room', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='presences', to='rooms.room')),
                    ],
                    options={
                        'db_table': 'live_presence',
                        'indexes': [models.Index(fields=['room', 'left_at'], name='live_presen_room_id_a94309_idx')],
                    },
                ),
                migrations.CreateModel(
                    name='RoomEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('seq', models.PositiveBigIntegerField(verbose_name='序号')),
                        ('type', models.CharField(max_length=40, verbose_name='类型')),
                        ('data', models.JSONField(default=dict, verbose_name='内容')),
                        ('client_id', models.CharField(blank=True, max_length=64)),
                        ('private', models.BooleanField(default=False)),
                        ('deleted', models.BooleanField(default=False)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('author', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('room', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='rooms.room')),
                    ],
                    options={
                        'db_table': 'live_roomevent',
                        'ordering': ['seq'],
                        'constraints': [models.UniqueConstraint(fields=('room', 'seq'), name='one_event_per_seq'), models.UniqueConstraint(condition=models.Q(('client_id', ''), _negated=True), fields=('room', 'author', 'client_id'), name='one_event_per_client_id')],
                    },
                ),
                migrations.CreateModel(
                    name='RoomMember',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('muted', models.BooleanField(default=False)),
                        ('removed', models.BooleanField(default=False)),
                        ('hand_raised_at', models.DateTimeField(blank=True, null=True)),
                        ('muted_until', models.DateTimeField(blank=True, null=True)),
                        ('room', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='members', to='rooms.room')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'live_roommember',
                        'constraints': [models.UniqueConstraint(fields=('room', 'user'), name='one_member_row_per_room')],
                    },
                ),
            ],
        ),
    ]
